"""Generate a deterministic synthetic archive for benchmarks: `python bench/generate.py OUT --meetings N`.

The archive has the sample's municipalities, twenty networks, meetings spread over twenty years,
realistic participants and 6-12 items of Swedish-like text (~1,000 words a meeting) with lists,
tables and decisions, a few of them taken by a named vote (votering), some with a reservation.
The same seed always gives the same bytes.

People recur as they do in real minutes: each municipality has a pool of people (no two of whom
look like one name spelt two ways), and sends one or two of them to each of its networks for a
four-year term; a network's secretary is one of the kommunalförbund's officials for a term, its
chair one of its members (or, when the chair is away, the first member present), and the
adjuster another member present.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIRST_YEAR = 2006
YEARS = 20
NETWORK_COUNT = 20

FIRST_NAMES = (
    "Anna Maria Karin Eva Lena Kerstin Sara Emma Ingrid Malin Johanna Linda Helena Camilla "
    "Erik Lars Karl Anders Johan Per Nils Mikael Jan Hans Peter Fredrik Daniel Magnus Ola Jonas "
    "Sofia Elin Ida Frida Hanna Louise Therese Åsa Birgitta Ulrika Gustav Stefan Henrik Mats Björn "
    "Tomas Ulf Göran"
).split()
LAST_NAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Lindberg Lindqvist Berglund Ekman Holm Strömberg "
    "Sjöberg Wallin Engström Lundgren Hedlund Åberg Öberg Axelsson Blom Dahlgren Forsberg Granath "
    "Hellström Isaksson Kvist Magnusson Nyström Palm Rask Sandberg Törnqvist Viklund Wikström"
).split()
ROLES = ("beslutande", "beslutande", "ledamot", "ersättare", "tjänsteperson", "adjungerad")
PARTIES = ("S", "M", "V", "L", "KD", "C", "MP", "SD")
TOPICS = (
    "Budget och verksamhetsplan",
    "Kompetensförsörjning",
    "Yrkesvux och statsbidrag",
    "Gymnasiesamverkan",
    "Elevhälsa",
    "Digitalisering i skolan",
    "Socialtjänstlagen",
    "Äldreomsorgens bemanning",
    "Integration och SFI",
    "Lokalförsörjning",
    "Skolskjuts",
    "Barn och unga",
    "Folkhälsa",
    "Validering",
    "Vuxenutbildning",
    "Dimensionering",
    "Samverkansavtal",
    "Remissvar",
    "Uppföljning av mål",
    "Kvalitetsarbete",
)
WORDS = (
    "kommunen nätverket samverkan förslag beslut uppdrag arbetet utbildning verksamheten "
    "ekonomi underlag redovisning region skolan eleverna personal behov planering ansvar "
    "gemensamt information diskussion åtgärder uppföljning resultat kostnader statsbidrag "
    "avtal finansiering kvalitet rutiner målen insatser dialog förvaltningen länet möjlighet "
    "prioritera omställning tillgänglighet framtid nuläge analys erfarenheter riktlinjer "
    "hösten våren året medel platser kompetens vårdnadshavare socialtjänsten hälsa arbetsgrupp"
).split()
VERBS = (
    "redovisar informerar föreslår diskuterar konstaterar betonar lyfter beskriver "
    "presenterar återkopplar sammanfattar understryker"
).split()


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    chosen.insert(1, rng.choice(VERBS))
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 6)))


VOTES = 0.04  # the share of decisions taken by a vote (votering), named, sometimes with a reservation
POOL = 40  # people a municipality has to send to its networks over twenty years
OFFICIALS = 10  # the kommunalförbund's officials
TERM = 4  # years a network keeps its members, chair and secretary


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _apart(a: str, b: str) -> int:
    """Letters to change, add or remove to turn `a` into `b` (Levenshtein)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _plain(word: str) -> str:
    """Lower case without diacritics, as names are compared (`protokollarkiv.model.person_key`)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def pool(rng: random.Random, size: int, taken: set[str]) -> list[str]:
    """`size` people not in `taken` (and added to it), no two of whom share a first name and have
    surnames a slip apart."""
    chosen: list[str] = []
    while len(chosen) < size:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        alike = any(o.split()[0] == first and _apart(_plain(o.split()[1]), _plain(last)) <= 2 for o in chosen)
        if name not in taken and not alike:
            chosen.append(name)
            taken.add(name)
    return chosen


class Roster:
    """Who takes part in a network's meetings: per term, each member municipality's delegates,
    the network's chair (one delegate) and secretary (an official). A plain class: tests load
    this file without registering it as a module, where a dataclass cannot be made."""

    def __init__(self, pools: dict[str, list[str]], officials: list[str], rng: random.Random) -> None:
        self.pools, self.officials, self.rng = pools, officials, rng
        self.terms: dict[tuple[str, int], tuple[dict[str, list[str]], str, str]] = {}

    def term(self, network: str, members: list[str], year: int) -> tuple[dict[str, list[str]], str, str]:
        key = (network, (year - FIRST_YEAR) // TERM)
        if key not in self.terms:
            rng = self.rng
            delegates = {slug: rng.sample(self.pools[slug], rng.randint(1, 2)) for slug in members}
            chair = delegates[rng.choice(members)][0]
            self.terms[key] = (delegates, chair, rng.choice(self.officials))
        return self.terms[key]


def networks(rng: random.Random, municipalities: list[str]) -> dict[str, dict[str, object]]:
    result: dict[str, dict[str, object]] = {}
    for index in range(NETWORK_COUNT):
        topic = TOPICS[index % len(TOPICS)]
        members = sorted(rng.sample(municipalities, rng.randint(6, 15)))
        result[f"natverk-{index + 1:02d}"] = {
            "name": f"Nätverk för {topic.lower()} {index + 1}",
            "short_name": f"Nätverk {index + 1}",
            "organiser": rng.choice(("Skaraborgs Kommunalförbund", "Region Örebro län")),
            "region": rng.choice(("Skaraborg", "Örebro län")),
            "members": members,
            "description": paragraph(rng),
        }
    return result


def vote_blocks(rng: random.Random, voters: list[str]) -> str:
    """A named vote of `voters` on a decision (the chair's casting vote decides a tie, for ja) and,
    when someone voted no, sometimes their reservation."""
    answers: dict[str, list[str]] = {"ja-röster": [], "nej-röster": [], "avstår": []}
    for name in voters:
        answers[rng.choices(list(answers), weights=(6, 3, 1))[0]].append(name)
    ja, nej = len(answers["ja-röster"]), len(answers["nej-röster"])
    lines = [
        "::: votering",
        "ja-förslag: Bifall till arbetsutskottets förslag",
        f"nej-förslag: Bifall till {rng.choice(voters)}s yrkande om återremiss",
        *(f"{key}: [{', '.join(names)}]" for key, names in answers.items() if names),
        f"resultat: {'ja' if ja >= nej else 'nej'}",
        ":::",
    ]
    if answers["nej-röster"] and rng.random() < 0.5:
        lines += ["", "::: reservation", f"namn: [{answers['nej-röster'][0]}]"]
        lines += [f"motivering: {sentence(rng, rng.randint(6, 12))}", ":::"]
    return "\n".join(lines) + "\n"


def meeting_file(
    rng: random.Random,
    when: date,
    members: list[str],
    first_item: int,
    names: dict[str, str],
    term: tuple[dict[str, list[str]], str, str],
) -> tuple[str, int]:
    delegates, chair, secretary = term
    participants: list[dict[str, object]] = []
    present: list[str] = []
    for slug in members:
        for name in delegates[slug]:
            entry: dict[str, object] = {"name": name, "municipality": slug, "role": rng.choice(ROLES)}
            if rng.random() < 0.3:
                entry["party"] = rng.choice(PARTIES)
            if rng.random() < 0.15:
                entry["present"] = False
            else:
                present.append(name)
            participants.append(entry)
    participants.append({"name": secretary, "organisation": "Kommunalförbundet", "role": "tjänsteperson"})
    if chair not in present:  # the chair is away: the first member present chairs
        chair = present[0] if present else secretary
    others = [name for name in present if name != chair]
    front = {
        "date": when,
        "time": f"{rng.randint(8, 13):02d}:00-{rng.randint(14, 16):02d}:00",
        "place": rng.choice(("Regionens Hus", "Digitalt (Teams)", "Stadshuset", "Kulturhuset")),
        "status": "justerat",
        "chair": [chair],
        "secretary": secretary,
        "adjusters": [rng.choice(others) if others else secretary],
        "adjusted_on": when + timedelta(days=rng.randint(3, 10)),
        "participants": participants,
        "next_meeting": when + timedelta(days=rng.choice((28, 35, 42))),
    }
    items = rng.randint(6, 12)
    body: list[str] = []
    for offset in range(items):
        number = first_item + offset
        body.append(f"## § {number} {rng.choice(TOPICS)}\n")
        body.append(paragraph(rng) + "\n")
        shape = rng.random()
        if shape < 0.3:
            body.append("\n".join(f"- {sentence(rng, rng.randint(4, 9))}" for _ in range(4)) + "\n")
        elif shape < 0.45:
            rows = "\n".join(
                f"| {names[slug]} | {rng.randint(1, 90)} | {rng.randint(100, 9000)} |"
                for slug in rng.sample(members, min(4, len(members)))
            )
            body.append(f"| Kommun | Platser | Belopp (tkr) |\n|---|---:|---:|\n{rows}\n")
        body.append(paragraph(rng) + "\n")
        if rng.random() < 0.4:
            body.append(f"::: beslut\n{sentence(rng, rng.randint(10, 20))}\n:::\n")
            if len(present) >= 3 and rng.random() < VOTES:
                body.append(vote_blocks(rng, present))
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
    return text + "\n".join(body), first_item + items


def generate(out: Path, meetings: int, seed: int) -> None:
    rng = random.Random(seed)
    content = out
    if content.exists():
        shutil.rmtree(content)
    (content / "networks").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "municipalities.yml", content / "municipalities.yml")
    municipality_data = yaml.safe_load((content / "municipalities.yml").read_text(encoding="utf-8"))
    names = {slug: entry["name"] for slug, entry in municipality_data.items()}
    (content / "site.yml").write_text(
        "title: Syntetiskt arkiv\nbase_url: https://bench.example.se\nlanguage: sv\n"
        "organisation: Benchmark\n",
        encoding="utf-8",
    )
    nets = networks(rng, sorted(names))
    taken: set[str] = set()  # a name is one person, across the archive
    pools = {slug: pool(rng, POOL, taken) for slug in sorted(names)}
    roster = Roster(pools, pool(rng, OFFICIALS, taken), rng)
    for slug, data in nets.items():
        folder = content / "networks" / slug
        folder.mkdir()
        (folder / "network.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    # Meetings are spread evenly over networks and years; dates within a network never repeat.
    per_network = [meetings // NETWORK_COUNT + (i < meetings % NETWORK_COUNT) for i in range(NETWORK_COUNT)]
    for (slug, data), count in zip(nets.items(), per_network, strict=True):
        members = list(data["members"])  # type: ignore[call-overload]
        days = sorted(rng.sample(range(YEARS * 365), count)) if count <= YEARS * 365 else []
        numbering: dict[int, int] = {}
        for day in days:
            when = date(FIRST_YEAR, 1, 1) + timedelta(days=day)
            first = numbering.get(when.year, 1)
            term = roster.term(slug, members, when.year)
            text, numbering[when.year] = meeting_file(rng, when, members, first, names, term)
            path = content / "networks" / slug / str(when.year) / f"{when.isoformat()}.md"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="content folder to create (replaced if it exists)")
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.meetings > NETWORK_COUNT * YEARS * 365:
        parser.error("too many meetings for twenty networks over twenty years")
    generate(args.out, args.meetings, args.seed)
    print(f"Wrote {args.meetings} meetings to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
