"""Diagnostics in Swedish: every English message and hint the build can give, as a secretary reads it.

The build's diagnostics stay English (the terminal's `path:line:col` lines are for tools and logs);
the preview shows them in the site's language. Each entry pairs an English pattern with its
Swedish rendering. A `{name}` in a pattern stands for a value (a key, a file name, a date) that
goes into the rendering unchanged; `{name:kind}` for an English phrase that is itself rendered
by the table of that kind (a type name, what a key belongs to). A text that no pattern matches is
shown in English: a new message without Swedish is a failing test (tests/test_messages.py), not a
crash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

Table = tuple[tuple[str, str], ...]

# --- phrases that are parts of messages --------------------------------------------------------

TYPE: Table = (  # validate.type_name
    ("nothing", "ingenting"),
    ("true/false", "true/false"),
    ("text", "text"),
    ("a number", "ett tal"),
    ("a date", "ett datum"),
    ("a list", "en lista"),
    ("a mapping", "nycklar med värden"),
    ("{other}", "{other}"),
)
WHERE: Table = (  # unknown key 'x' in …; the key is missing …
    ("meeting front matter", "i uppgifterna överst"),
    ("the front matter", "i uppgifterna överst"),
    ("meeting", "i protokollet"),
    ("participant", "för deltagaren"),
    ("attachment", "för bilagan"),
    ("correction", "för rättelsen"),
    ("municipality '{slug}'", "för kommunen '{slug}'"),
    ("network '{slug}'", "för nätverket '{slug}'"),
    ("'{key}'", "under '{key}'"),
    ("{file}", "i {file}"),
)
THING: Table = (  # … must be a mapping of keys and values
    ("the front matter", "uppgifterna överst"),
    ("participant", "en deltagare"),
    ("attachment", "en bilaga"),
    ("correction", "en rättelse"),
    ("municipality '{slug}'", "kommunen '{slug}'"),
    ("network '{slug}'", "nätverket '{slug}'"),
    ("{other}", "{other}"),
)
FILE_KIND: Table = (("attachment", "bilagan"), ("original", "originalet"))
UNKNOWN_KIND: Table = (("municipality", "ingen kommun"), ("network", "inget nätverk"))
LISTED_KIND: Table = (("municipality", "kommunen"), ("network", "nätverket"))
TIME_PROBLEM: Table = (  # validate.read_time_span
    ("is not a time of day: '{text}'", "är inget klockslag: '{text}'"),
    ("names a time of day that does not exist: '{text}'", "anger ett klockslag som inte finns: '{text}'"),
    ("ends ({end}) before it starts ({start})", "slutar ({end}) innan den börjar ({start})"),
)
SHOWN: Table = (  # load._shown
    ("a list", "en lista"),
    ("a mapping", "nycklar med värden"),
    ("the value '{start}…' ({length} characters)", "värdet '{start}…' ({length} tecken)"),
    ("'{value}'", "'{value}'"),
)
YAML_KIND: Table = (  # load._KINDS
    ("a whole number", "ett heltal"),
    ("a number", "ett tal"),
    ("true or false", "true eller false"),
    ("nothing", "ingenting"),
    ("a date", "ett datum"),
    ("{tag}", "{tag}"),
)
RECORD_DATES: Table = (  # review: a body with anslag, minutes without …
    ("adjusted_on and no posted_on", "varken justeringsdag (adjusted_on) eller anslagsdag (posted_on)"),
    ("adjusted_on", "ingen justeringsdag (adjusted_on)"),
    ("posted_on", "ingen anslagsdag (posted_on)"),
)
MEETING_COUNT: Table = (("meeting", "möte"), ("meetings", "möten"))
CLAIMANT: Table = (("this person", "samma person"), ("'{name}'", "'{name}'"))
RECORD_EVENT: Table = (("the meeting", "mötet"), ("the justering", "justeringen"))
UNSIGNED: Table = (  # review: justerat minutes without …
    ("chair and no adjusters", "varken ordförande (chair) eller justerare (adjusters)"),
    ("chair", "ingen ordförande (chair)"),
    ("adjusters", "inga justerare (adjusters)"),
)
SEAL_ENTRY: Table = (  # seal._entry: the seal of 'x' …
    ("is not an object", "är inget objekt"),
    ("has no 'digest' of 64 hexadecimal digits", "saknar en 'digest' med 64 hexadecimala siffror"),
    ("has no 'sealed_on' date (YYYY-MM-DD)", "saknar datumet 'sealed_on' (ÅÅÅÅ-MM-DD)"),
    ("has no 'corrections' count", "saknar antalet rättelser ('corrections')"),
    ("has no 'source'", "saknar 'source'"),
)
GAP: Table = (("repeats", "upprepar"), ("leaves a gap after", "lämnar en lucka efter"))
GAP_BEFORE: Table = (
    ("repeats numbers of", "upprepar nummer från"),
    ("leaves a gap after", "lämnar en lucka efter"),
)
NOTICED: Table = (
    ("", ""),
    (" (noticed at line {line}, column {column})", " Felet märks först på rad {line}, kolumn {column}."),
)
# libyaml's own words (the reader is libyaml's, through PyYAML's CSafeLoader).
YAML_CONTEXT: Table = (
    ("while scanning a simple key", "i en nyckel"),
    ("while scanning a quoted scalar", "i en text inom citattecken"),
    ("while parsing a quoted scalar", "i en text inom citattecken"),
    ("while scanning a plain scalar", "i ett värde"),
    ("while scanning a block scalar", "i ett textblock ('|' eller '>')"),
    ("while scanning an anchor", "i ett ankare ('&')"),
    ("while scanning an alias", "i ett alias ('*')"),
    ("while scanning a tag", "i en tagg ('!')"),
    ("while parsing a tag", "i en tagg ('!')"),
    ("while scanning a directive", "i ett direktiv ('%')"),
    ("while scanning a %YAML directive", "i ett direktiv ('%YAML')"),
    ("while scanning a %TAG directive", "i ett direktiv ('%TAG')"),
    ("while scanning for the next token", "mellan värdena"),
    ("while parsing a block collection", "i en lista"),
    ("while parsing a block mapping", "bland nycklarna"),
    ("while parsing a flow sequence", "i en lista inom '[ ]'"),
    ("while parsing a flow mapping", "inom '{ }'"),
    ("while parsing a node", "i ett värde"),
    ("while parsing a block node", "i ett värde"),
    ("while parsing a flow node", "i ett värde"),
)
YAML_PROBLEM: Table = (
    ("could not find expected ':'", "ett kolon saknas"),
    ("found character that cannot start any token", "ett värde kan inte börja med det här tecknet"),
    ("found unexpected end of stream", "texten tar slut för tidigt"),
    ("found unknown escape character", "okänd kombination med omvänt snedstreck (\\)"),
    ("did not find expected hexdecimal number", "en hexadecimal siffra saknas"),
    ("found invalid Unicode character escape code", "ogiltig Unicode-kod"),
    ("found unexpected document indicator", "en rad '---' eller '...' står mitt i"),
    ("found a tab character that violates indentation", "raden är indragen med tabb"),
    ("found a tab character where an indentation space is expected", "raden är indragen med tabb"),
    ("mapping keys are not allowed in this context", "en nyckel ('?') får inte stå här"),
    ("mapping values are not allowed in this context", "ett kolon får inte stå här"),
    ("block sequence entries are not allowed in this context", "ett listtecken ('-') får inte stå här"),
    ("did not find expected alphabetic or numeric character", "en bokstav eller siffra saknas"),
    ("did not find expected whitespace or line break", "ett mellanslag eller en radbrytning saknas"),
    ("did not find expected comment or line break", "något står kvar efter värdet på raden"),
    ("did not find expected key", "här väntades en ny nyckel"),
    ("did not find expected '-' indicator", "här väntades ett listtecken ('-')"),
    ("did not find expected ',' or ']'", "',' eller ']' saknas"),
    ("did not find expected ',' or '}'", "',' eller '}' saknas"),
    ("did not find expected node content", "ett värde saknas"),
    ("did not find expected <document start>", "'---' saknas"),
    ("found undefined tag handle", "okänd tagg"),
    ("found undefined alias", "aliaset ('*') hänvisar till ett ankare ('&') som inte finns"),
)

READ_PROBLEM: Table = (  # filetext: why an attachment's text cannot be read
    ("cannot read the PDF: {reason}", "PDF-filen kan inte läsas ({reason})"),
    ("cannot read the Word file: {reason}", "Word-filen kan inte läsas ({reason})"),
    ("cannot read the file: {reason}", "filen kan inte läsas ({reason})"),
    (
        "the PDF is password-protected: save a copy without a password",
        "PDF-filen är lösenordsskyddad: spara en kopia utan lösenord",
    ),
    (
        "this is a password-protected Word file or an old .doc: open it in Word and save it as "
        ".docx without a password",
        "det är en lösenordsskyddad Word-fil eller en gammal .doc: öppna den i Word och spara den som "
        ".docx utan lösenord",
    ),
    (
        "the file claims UTF-16 but is not; save it as UTF-8",
        "filen säger sig vara UTF-16 men är det inte; spara den som UTF-8",
    ),
    ("{other}", "{other}"),
)

TOOK_PART: Table = (  # vote: why a voter or reservant did not take part in the item
    ("is not on the participant list", "står inte på deltagarlistan"),
    ("is recused (jäv) from {item}", "har anmält jäv i {item}"),
    ("is listed as absent", "är antecknad som frånvarande"),
    ("took part only in items {items}", "deltog bara i ärendena {items}"),
)

KINDS: Mapping[str, Table] = {
    "took_part": TOOK_PART,
    "type": TYPE,
    "record_dates": RECORD_DATES,
    "record_event": RECORD_EVENT,
    "meeting_count": MEETING_COUNT,
    "claimant": CLAIMANT,
    "where": WHERE,
    "thing": THING,
    "file_kind": FILE_KIND,
    "unknown_kind": UNKNOWN_KIND,
    "listed_kind": LISTED_KIND,
    "time_problem": TIME_PROBLEM,
    "shown": SHOWN,
    "yaml_kind": YAML_KIND,
    "unsigned": UNSIGNED,
    "seal_entry": SEAL_ENTRY,
    "gap": GAP,
    "gap_before": GAP_BEFORE,
    "noticed": NOTICED,
    "yaml_context": YAML_CONTEXT,
    "yaml_problem": YAML_PROBLEM,
    "read_problem": READ_PROBLEM,
}

# --- whole messages and hints, the more particular before the more general --------------------

_YAML = "YAML syntax error: "
MESSAGES: Table = (
    # vote: `::: votering` and `::: reservation` blocks, and who took part
    ("{name} votes in {item} but {problem:took_part}", "{name} röstar i {item} men {problem}."),
    (
        "{name} reserves themselves in {item} but {problem:took_part}",
        "{name} reserverar sig i {item} men {problem}.",
    ),
    (
        "a '::: {name}' block must hold 'key: value' lines",
        "ett block '::: {name}' ska innehålla rader med 'nyckel: värde'.",
    ),
    ("unknown key '{key}' in a '::: {name}' block", "okänd nyckel '{key}' i blocket '::: {name}'."),
    ("'{key}' must be text", "'{key}' ska vara text."),
    ("'{key}' must be a list of names", "'{key}' ska vara en lista med namn."),
    ("'{key}' entry {n} must be a name", "post {n} i '{key}' ska vara ett namn."),
    ("'antal' cannot be read: '{text}'", "'antal' går inte att läsa: '{text}'."),
    ("'antal' gives a negative count of {answer}", "'antal' anger ett negativt antal för {answer}."),
    ("'antal' gives the count of {answer} twice", "'antal' anger antalet för {answer} två gånger."),
    (
        "the vote has no '{key}': it does not say what {side} stands for",
        "voteringen saknar '{key}', så det framgår inte vad {side} står för.",
    ),
    (
        "{name} is named twice in the vote (also under '{key}')",
        "{name} står två gånger i voteringen (också under '{key}').",
    ),
    ("the vote names no voters and gives no counts", "voteringen anger varken namn eller antal."),
    (
        "'antal' gives {said} {answer}, but the names under '{key}' are {found}",
        "'antal' anger {said} {answer}, men namnen under '{key}' är {found}.",
    ),
    (
        "the result is {result}, but {other} has more votes ({ja} ja, {nej} nej)",
        "resultatet är {result}, men {other} har fler röster ({ja} ja, {nej} nej).",
    ),
    ("the vote gives no result", "voteringen anger inget resultat."),
    ("'resultat' must be ja or nej, not '{value}'", "'resultat' ska vara ja eller nej, inte '{value}'."),
    ("the reservation names no one", "reservationen anger inga namn."),
    ("'::: {name}' is not inside an item", "blocket '::: {name}' hör inte till något ärende."),
    # load: reading files and YAML
    (
        _YAML + "while parsing a flow sequence {problem}{noticed:noticed}",
        "hakparentesen '[' som börjar listan här stängs aldrig med ']'.{noticed}",
    ),
    (
        _YAML + "while parsing a flow mapping {problem}{noticed:noticed}",
        "klammerparentesen '{' som börjar här stängs aldrig med '}'.{noticed}",
    ),
    (
        _YAML + "while scanning a quoted scalar {problem}{noticed:noticed}",
        "citattecknet som börjar texten här stängs aldrig.{noticed}",
    ),
    (
        _YAML + "while scanning a simple key {problem}{noticed:noticed}",
        "raden saknar ett kolon efter nyckeln.{noticed}",
    ),
    (
        _YAML + "the quoted text that starts here is not closed on its line; {problem}{noticed:noticed}",
        "citattecknet som börjar texten här stängs aldrig på samma rad, så texten fortsätter ända till"
        " nästa citattecken.{noticed}",
    ),
    (
        _YAML + "mapping values are not allowed in this context",
        "ett kolon följt av mellanslag står där det inte får stå: antingen är raden fel indragen, "
        "eller så innehåller värdet ': ' och behöver citattecken.",
    ),
    (
        _YAML + "while parsing a block mapping did not find expected key",
        "här väntades en ny nyckel: raden är fel indragen, eller så står något kvar efter värdet.",
    ),
    (
        _YAML + "{context:yaml_context} found a tab character that violates indentation",
        "raden är indragen med tabb; YAML kräver mellanslag.",
    ),
    (
        _YAML + "expected a single document in the stream but found another document",
        "här börjar ett andra YAML-dokument (en rad '---'); uppgifterna får bara vara ett.",
    ),
    (
        _YAML + "found duplicate anchor; first occurrence second occurrence",
        "samma ankare ('&') står två gånger.",
    ),
    (
        _YAML + "{context:yaml_context} {problem:yaml_problem}",
        "YAML-koden går inte att läsa {context}: {problem}.",
    ),
    (_YAML + "{problem:yaml_problem}", "YAML-koden går inte att läsa: {problem}."),
    ("YAML error: {error}", "YAML-fel: {error}"),
    (
        "YAML does not allow the control character U+{code} here",
        "här står ett osynligt styrtecken (U+{code}) som YAML inte tillåter.",
    ),
    (
        "YAML alias refers to the value that contains it",
        "YAML-aliaset pekar på värdet som det självt står i.",
    ),
    ("the YAML tag '{tag}' does not fit {value:shown}", "YAML-taggen '{tag}' passar inte till {value}."),
    ("cannot read {value:shown} as {kind:yaml_kind}", "det går inte att läsa {value} som {kind}."),
    ("the YAML is nested too deeply to be read", "YAML-koden är för djupt nästlad för att kunna läsas."),
    ("key '{key}' is given twice; the last one wins", "nyckeln '{key}' står två gånger; den sista gäller."),
    ("front matter is not closed", "uppgifterna överst avslutas aldrig."),
    ("meeting file does not start with front matter", "filen börjar inte med uppgifterna om mötet."),
    ("the networks/ folder is missing", "mappen networks/ saknas."),
    ("file is not valid UTF-8 (byte 0x{byte})", "filen är inte sparad som UTF-8 (byte 0x{byte})."),
    ("{name} is missing from the content folder", "{name} saknas i mappen content."),
    ("cannot read file: {reason}", "filen kan inte läsas: {reason}"),
    ("network folder '{name}' has no {file}", "nätverksmappen '{name}' saknar {file}."),
    # validate: keys and values
    ("unknown key '{key}' in {what:where}", "okänd nyckel '{key}' {what}."),
    ("{what:where} is missing the required key '{key}'", "nyckeln '{key}' krävs men saknas {what}."),
    (
        "{what:thing} must be a mapping of keys and values, not {type:type}",
        "{what} ska bestå av nycklar med värden, inte {type}.",
    ),
    ("'{key}' must be text, not {type:type}", "'{key}' ska vara text, inte {type}."),
    ("'{key}' must not be empty", "'{key}' får inte vara tom."),
    (
        "'{name}' holds the control character U+{code} at character {index}",
        "'{name}' innehåller ett osynligt styrtecken (U+{code}) vid tecken {index}.",
    ),
    ("'{key}' must be a date without a time of day", "'{key}' ska vara ett datum utan klockslag."),
    ("'{key}' must be a date, not {type:type}", "'{key}' ska vara ett datum, inte {type}."),
    ("'{key}' is not a date: '{value}'", "'{key}' är inget datum: '{value}'."),
    ("'{key}' {day} is not a day of the calendar", "datumet {day} i '{key}' finns inte i kalendern."),
    (
        "'{key}' must have two-digit months and days: '{value}' is {day}",
        "månad och dag i '{key}' ska ha två siffror var: '{value}' skrivs {day}.",
    ),
    ("'{key}' {day} is not a plausible day", "datumet {day} i '{key}' är inte rimligt."),
    (
        "'{key}' must be a time of day in quotes, not {type:type}",
        "'{key}' ska vara ett klockslag inom citattecken, inte {type}.",
    ),
    (
        "'{key}' must be a list of names or texts, not {type:type}",
        "'{key}' ska vara en lista med namn eller texter, inte {type}.",
    ),
    (
        "'{key}' entry {index} must be text, not {type:type}",
        "post {index} i '{key}' ska vara text, inte {type}.",
    ),
    ("'{key}' must be a list, not {type:type}", "'{key}' ska vara en lista, inte {type}."),
    (
        "'{key}' must be one of {names}, not '{value}'",
        "'{key}' ska vara ett av värdena {names}, inte '{value}'.",
    ),
    (
        "'{key}' does not start with a day or a range of days: '{text}'",
        "'{key}' börjar inte med en dag eller ett intervall av dagar: '{text}'.",
    ),
    (
        "'{key}' ends ({last}) before it begins ({first})",
        "'{key}' slutar ({last}) innan det börjar ({first}).",
    ),
    (
        "'{key}' names {text}, which is not a day of the calendar",
        "'{key}' anger {text}, som inte finns i kalendern.",
    ),
    ("'{key}' {problem:time_problem}", "'{key}' {problem}."),
    ("{kind:listed_kind} '{slug}' is listed twice", "{kind} '{slug}' står två gånger."),
    ("unknown {kind:unknown_kind} '{slug}'", "det finns {kind} med kortnamnet '{slug}'."),
    ("unknown party code '{party}'", "okänd partiförkortning: '{party}'."),
    (
        "'present' must be true, false or null (not recorded)",
        "'present' ska vara true (närvarande), false (frånvarande) eller null (anges inte).",
    ),
    (
        "'{key}' names {text}, which is not an item of these minutes",
        "'{key}' anger {text}, som inte är ett ärende i det här protokollet.",
    ),
    ("the signed original '{file}' is not a PDF", "det justerade originalet '{file}' är ingen PDF."),
    ("'{key}' must be true or false, not {type:type}", "'{key}' ska vara true eller false, inte {type}."),
    ("'{key}' must be a whole number, not {type:type}", "'{key}' ska vara ett heltal, inte {type}."),
    (
        "'{key}' must be from {least} to {most}, not {value}",
        "'{key}' ska vara från {least} till {most}, inte {value}.",
    ),
    (
        "a body with anslag names no place where its protocols are kept",
        "organet har anslag men anger inte var protokollen förvaras.",
    ),
    (
        "the minutes were justerat {days} days after the meeting",
        "protokollet justerades {days} dagar efter mötet.",
    ),
    ("posted_on {day} is before {what:record_event}", "anslaget den {day} ligger före {what}."),
    (
        "the notice was posted {days} days after the justering",
        "justeringen anslogs {days} dagar efter att protokollet justerades.",
    ),
    (
        "{network} has anslag, but the minutes give no {missing:record_dates}",
        "{network} har anslag, men protokollet anger {missing}.",
    ),
    (
        "'unpublished' must give the reason",
        "'unpublished' ska ange skälet till att protokollet avpublicerats.",
    ),
    (
        "'procedural' names item {item}, which the minutes do not have",
        "'procedural' anger ärende {item}, som inte finns i protokollet.",
    ),
    (
        "'procedural' of item {item} must be true or false, not {type:type}",
        "'procedural' för ärende {item} ska vara true (formalia) eller false, inte {type}.",
    ),
    (
        "{what:file_kind} name '{file}' has a part longer than {size} bytes",
        "{what} har ett namn med en del som är längre än {size} byte: '{file}'.",
    ),
    (
        "{what:file_kind} '{file}' points outside the meeting's folder",
        "{what} '{file}' ligger utanför mötets mapp.",
    ),
    ("{what:file_kind} '{file}' does not exist", "{what} '{file}' finns inte."),
    (
        "the first network '{first}' is not the folder's network '{folder}'",
        "det första nätverket, '{first}', är inte mappens nätverk '{folder}'.",
    ),
    ("'networks' must name at least one network", "'networks' måste ange minst ett nätverk."),
    ("the minutes are adjusted before the meeting took place", "protokollet är justerat före mötesdagen."),
    (
        "attendance of '{slug}' must be närvarande or frånvarande",
        "närvaron för '{slug}' ska vara närvarande eller frånvarande.",
    ),
    ("slug '{slug}' may only hold a-z, 0-9 and '-'", "'slug' får bara innehålla a–z, 0–9 och '-': '{slug}'."),
    (
        "alias '{alias}' must be a path on this site starting with '/'",
        "aliaset '{alias}' ska vara en adress på den här webbplatsen som börjar med '/'.",
    ),
    ("alias '{alias}' is not a plain path", "aliaset '{alias}' är ingen enkel adress."),
    (
        "the text holds the control character U+{code}",
        "texten innehåller ett osynligt styrtecken (U+{code}).",
    ),
    ("'base_url' must start with https://", "'base_url' ska börja med https://."),
    ("'base_url' is not a web address: '{url}'", "'base_url' är ingen webbadress: '{url}'."),
    (
        "'repo' must name a GitHub repository as owner/name: '{repo}'",
        "'repo' ska ange ett GitHub-förråd som ägare/namn: '{repo}'.",
    ),
    ("'branch' is not a git branch name: '{branch}'", "'branch' är inget namn på en gren i git: '{branch}'."),
    ("municipality slug '{slug}' is not a slug", "kommunens kortnamn '{slug}' är inget giltigt kortnamn."),
    (
        "SCB code of '{slug}' must be four digits in quotes, e.g. '1496'",
        "SCB-koden för '{slug}' ska vara fyra siffror inom citattecken, till exempel '1496'.",
    ),
    # markdown: the body
    ("'::: {block}' block is not closed", "blocket '::: {block}' avslutas aldrig."),
    ("a '::: {block}' block inside another one", "ett block '::: {block}' står inuti ett annat."),
    (
        "lists or quotes are nested {depth} or more levels deep here; what lies deeper would be lost",
        "listor eller citat är här nästlade i {depth} nivåer eller fler; det som ligger djupare"
        " skulle gå förlorat.",
    ),
    ("decision is not inside an item", "beslutet hör inte till något ärende."),
    (
        "unknown block '::: {name}'; it is shown as plain text",
        "okänt block '::: {name}'; det visas som vanlig text.",
    ),
    (
        "a level-1 heading in the body is shown as an item heading",
        "en rubrik på nivå 1 i texten visas som en ärenderubrik.",
    ),
    ("item heading '{heading}' has no title", "ärenderubriken '{heading}' saknar rubriktext."),
    # pages: URLs
    (
        "two meetings have the URL {url}: this file and {other}",
        "två möten får adressen {url}: den här filen och {other}.",
    ),
    ("meeting URL {url} is taken", "adressen {url} används redan."),
    # review: what a reviewer of minutes would see
    (
        "the minutes are marked justerat but name no {missing:unsigned}",
        "protokollet är justerat men anger {missing}.",
    ),
    (
        "a meeting dated in the future ({day}) is marked justerat",
        "mötet är daterat i framtiden ({day}) men markerat som justerat.",
    ),
    (
        "next_meeting {day} is not after the meeting's date",
        "nästa möte ({day}) ligger inte efter mötets datum.",
    ),
    (
        "{name} is listed both as present and as absent",
        "{name} står både som närvarande och som frånvarande.",
    ),
    (
        "{name}'s municipality {municipality} is not a member of {networks}",
        "{name} kommer från {municipality}, som inte är medlem i {networks}.",
    ),
    ("the decision block is empty", "beslutsblocket är tomt."),
    (
        "§ {number} {problem:gap_before} the previous meeting ({day}, last § {last}); expected § {expected}",
        "§ {number} {problem} förra mötet ({day}, sista § {last}); här borde § {expected} komma.",
    ),
    ("§ {number} {problem:gap} § {before}", "§ {number} {problem} § {before}."),
    # people: one name per person
    (
        "{file} must be a list of people, not {type:type}",
        "{file} ska vara en lista med personer, inte {type}.",
    ),
    (
        "'{name}' looks like '{common}' ({count} {meetings:meeting_count}): one person spelt two ways?",
        "'{name}' liknar '{common}' ({count} {meetings}): samma person stavad på två sätt?",
    ),
    (
        "'{name}' looks like '{other}' of the participant list: one person spelt two ways?",
        "'{name}' liknar '{other}' i deltagarlistan: samma person stavad på två sätt?",
    ),
    (
        "the spelling '{spelling}' is claimed twice: also by {whose:claimant} at line {line}",
        "stavningen '{spelling}' används två gånger: även av {whose} på rad {line}.",
    ),
    # personal: personal data in a meeting file
    ("the minutes show a {kind} ({number})", "protokollet innehåller ett {kind} ({number})."),
    ("the minutes show the phone number {number}", "protokollet innehåller telefonnumret {number}."),
    ("the minutes show the e-mail address {address}", "protokollet innehåller e-postadressen {address}."),
    # seal: the sealed protocols and their ledger, sigill.json
    ("not valid JSON: {error}", "filen är inte giltig JSON: {error}"),
    ("sigill.json has no 'meetings' object", "sigill.json saknar objektet 'meetings'."),
    ("the seal of '{key}' {problem:seal_entry}", "sigillet för '{key}' {problem}."),
    (
        "the minutes sealed on {day} have a correction that is not sealed yet",
        "protokollet förseglades {day} och har en rättelse som ännu inte är förseglad.",
    ),
    (
        "the minutes were sealed on {day}; their published facts or text have changed since",
        "protokollet förseglades {day}, och dess publicerade uppgifter eller text har ändrats sedan dess.",
    ),
    (
        "the minutes sealed on {day} had {then} corrections then, {now} now",
        "protokollet hade {then} rättelser när det förseglades {day}, nu {now}.",
    ),
    (
        "the seal of '{key}' ({source}) names minutes that are not in the archive",
        "sigillet för '{key}' ({source}) gäller ett protokoll som inte finns i arkivet.",
    ),
    # the build's cache (a warning; the build goes on)
    ("cannot write the cache: {error}", "cachen kan inte skrivas: {error}"),
    (
        "ignoring a damaged cache file ({error}); it will be rebuilt",
        "en skadad cachefil används inte ({error}); den byggs om.",
    ),
    (
        "ignoring a damaged cache file ({error}); the build renders every page",
        "en skadad cachefil används inte ({error}); alla sidor byggs om.",
    ),
    (
        "ignoring a damaged cache entry ({error}); it will be rebuilt",
        "en skadad post i cachen används inte ({error}); den byggs om.",
    ),
    # attachments in search (a warning; the build goes on)
    (
        "the text of attachment '{file}' cannot be searched: {problem:read_problem}",
        "texten i bilagan '{file}' går inte att söka i: {problem}.",
    ),
)

HINTS: Table = (
    # load
    ("check indentation and quoting", "kontrollera indrag och citattecken."),
    (
        "close the list with ']'",
        "stäng listan med ']' – eller sätt citattecken runt en text som innehåller ',' eller ']'.",
    ),
    (
        "close the braces with '}'",
        "stäng med '}' – eller sätt citattecken runt en text som innehåller ',' eller '}'.",
    ),
    (
        "end the quoted text with the same quote mark it starts with",
        "avsluta texten med samma sorts citattecken som den börjar med.",
    ),
    (
        "write the key, a colon and a space before the value: 'key: value'",
        "skriv nyckeln, ett kolon och ett mellanslag före värdet: 'nyckel: värde'.",
    ),
    (
        "put a value holding ': ' in quotes; keys of one level start in the same column",
        "sätt citattecken runt ett värde som innehåller ': '; nycklar på samma nivå börjar i samma kolumn.",
    ),
    ("indent with spaces, not tabs", "dra in med mellanslag, inte tabb."),
    ("put the value in quotes", "sätt värdet inom citattecken."),
    ("put the value in quotes if it is text", "sätt värdet inom citattecken om det är text."),
    ("remove the alias", "ta bort aliaset."),
    ("write true or false", "skriv true eller false."),
    (
        "kommunallagen asks for justering within {days} days; check 'adjusted_on'",
        "enligt kommunallagen ska protokollet justeras inom {days} dagar; kontrollera 'adjusted_on'.",
    ),
    (
        "the notice is posted after the minutes are justerat; check 'posted_on' and 'adjusted_on'",
        "justeringen anslås efter att protokollet justerats; kontrollera 'posted_on' och 'adjusted_on'.",
    ),
    (
        "the justering is to be posted within {days} days; check 'posted_on'",
        "justeringen ska anslås inom {days} dagar; kontrollera 'posted_on'.",
    ),
    (
        "add the day of justering and the day it was posted on the anslagstavla: "
        "without them the page cannot show the appeal window",
        "lägg till dagen för justeringen (adjusted_on) och dagen den anslogs (posted_on): utan dem kan "
        "sidan inte visa när tiden för överklagande löper ut.",
    ),
    (
        "add 'kept_at:', e.g. kept_at: Kommunalförbundets kansli, Storgatan 1, Skövde",
        "lägg till 'kept_at:', t.ex. kept_at: Kommunalförbundets kansli, Storgatan 1, Skövde.",
    ),
    ("name an item by its number: {known}", "ange ärendet med dess nummer: {known}."),
    ("the minutes have no numbered items", "protokollet har inga numrerade ärenden."),
    ("remove the tag: minutes need no YAML tags", "ta bort taggen: protokoll behöver inga YAML-taggar."),
    ("add a line '---' after the last YAML key", "lägg till en rad '---' efter den sista nyckeln."),
    (
        "the first line must be '---', followed by the YAML keys and a closing '---'",
        "första raden ska vara '---', sedan kommer nycklarna och sist en rad '---'.",
    ),
    ("save the file as UTF-8 in your editor", "spara filen som UTF-8 i din editor."),
    ("delete it; most editors do not show it", "ta bort det; de flesta editorer visar det inte."),
    # validate
    ("did you mean '{word}'?", "menade du '{word}'?"),
    ("known keys: {keys}", "nycklar som finns: {keys}."),
    ("known codes: {codes}", "förkortningar som finns: {codes}."),
    ("use one of: {names}", "använd ett av: {names}."),
    ("use '{slug}'", "använd '{slug}'."),
    ("write dates as YYYY-MM-DD, e.g. 2024-09-20", "skriv datum som ÅÅÅÅ-MM-DD, till exempel 2024-09-20."),
    (
        "write the time as HH:MM or HH:MM-HH:MM, e.g. 09:00-12:00",
        "skriv tiden som TT:MM eller TT:MM-TT:MM, till exempel 09:00-12:00.",
    ),
    ("check the month and the day", "kontrollera månad och dag."),
    ("dates lie between {first} and {last}", "datum ska ligga mellan år {first} och {last}."),
    ("e.g. 2024-10-24 or 2024-10-24--25", "till exempel 2024-10-24 eller 2024-10-24--25."),
    ("e.g. https://arkiv.example.se", "till exempel https://arkiv.example.se."),
    ("e.g. branch: main", "till exempel branch: main."),
    ("quote the value", "sätt värdet inom citattecken."),
    ("see content/municipalities.yml", "se content/municipalities.yml."),
    ("scan or export it as PDF", "skanna eller exportera det som PDF."),
    ("give the file a shorter name", "ge filen ett kortare namn."),
    (
        "put the file in {folder}/ beside the meeting and name it relative to that folder",
        "lägg filen i mappen {folder}/ bredvid protokollet och skriv namnet från den mappen.",
    ),
    ("put the file in {folder}/ beside the meeting", "lägg filen i mappen {folder}/ bredvid protokollet."),
    ("the items are numbered {numbers}", "ärendena har numren {numbers}."),
    ("the body has no numbered items", "protokollet har inga numrerade ärenden."),
    (
        "the file lives in the folder of its primary network; list that one first",
        "filen ligger i huvudnätverkets mapp; skriv det nätverket först.",
    ),
    (
        "an old URL's path: letters, digits and _ - . ~ % ! $ & ' ( ) + , ; = @ between slashes;"
        " no spaces, line breaks, '#', '?', '*', ':' or empty, '.' or '..' parts",
        "en gammal adress: bokstäver, siffror och _ - . ~ % ! $ & ' ( ) + , ; = @ mellan snedstreck;"
        " inga mellanslag, radbrytningar, '#', '?', '*' eller ':' och inga tomma delar eller delar som är"
        " '.' eller '..'.",
    ),
    ("e.g. {example}", "till exempel {example}."),
    # markdown
    ("end the decision with a line ':::'", "avsluta beslutet med en rad ':::'."),
    ("nest them less deeply", "nästla dem i färre nivåer."),
    (
        "close the first decision with ':::' before the next one begins",
        "avsluta det första beslutet med ':::' innan nästa börjar.",
    ),
    (
        "put the '::: beslut' block below the item heading it belongs to",
        "placera blocket '::: beslut' under rubriken för det ärende det hör till.",
    ),
    ("the only block is '::: {block}'", "det enda block som finns är '::: {block}'."),
    (
        "the blocks are '::: {a}', '::: {b}' and '::: {c}'",
        "de block som finns är '::: {a}', '::: {b}' och '::: {c}'.",
    ),
    ("end the block with a line ':::'", "avsluta blocket med en rad ':::'."),
    (
        "close the first block with ':::' before the next one begins",
        "avsluta det första blocket med ':::' innan nästa börjar.",
    ),
    (
        "put the '::: {name}' block below the item heading it belongs to",
        "placera blocket '::: {name}' under rubriken för det ärende det hör till.",
    ),
    # vote
    (
        "write one key a line, e.g. 'ja-röster: [Anna Andersson]' and 'resultat: ja'",
        "skriv en nyckel per rad, till exempel 'ja-röster: [Anna Andersson]' och 'resultat: ja'.",
    ),
    (
        "write one key a line, e.g. 'namn: [Anna Andersson]'",
        "skriv en nyckel per rad, till exempel 'namn: [Anna Andersson]'.",
    ),
    ("write it on one line after the key", "skriv den på en rad efter nyckeln."),
    (
        "write the names as a list in brackets, e.g. [Anna Andersson, Per Persson]",
        "skriv namnen som en lista inom hakparenteser, till exempel [Anna Andersson, Per Persson].",
    ),
    (
        "write the counts as 'antal: 5 ja, 3 nej, 1 avstår'",
        "skriv antalet som 'antal: 5 ja, 3 nej, 1 avstår'.",
    ),
    (
        "add 'ja-förslag:' and 'nej-förslag:' as the chair put the proposition",
        "skriv 'ja-förslag:' och 'nej-förslag:' så som ordföranden ställde propositionen.",
    ),
    ("each voter has one vote: ja, nej or avstår", "var och en har en röst: ja, nej eller avstår."),
    (
        "list the names under 'ja-röster:', 'nej-röster:' and 'avstår:', or give 'antal:'",
        "skriv namnen under 'ja-röster:', 'nej-röster:' och 'avstår:', eller ange 'antal:'.",
    ),
    ("correct the count or the names: they must agree", "rätta antalet eller namnen: de ska stämma överens."),
    (
        "check 'resultat:' and the votes; on equal votes the chair's casting vote decides",
        "kontrollera 'resultat:' och rösterna; vid lika röstetal avgör ordförandens utslagsröst.",
    ),
    (
        "add 'resultat: ja' or 'resultat: nej': the proposition that won",
        "skriv 'resultat: ja' eller 'resultat: nej': det förslag som vann.",
    ),
    ("name the proposition that won: ja or nej", "ange det förslag som vann: ja eller nej."),
    (
        "add 'namn: [...]' with who reserved themselves against the decision",
        "skriv 'namn: [...]' med dem som reserverade sig mot beslutet.",
    ),
    (
        "add them to 'participants:', or check the spelling",
        "lägg till personen under 'participants:', eller kontrollera stavningen.",
    ),
    ("a member with a conflict of interest takes no part", "den som är jävig deltar inte i ärendet."),
    ("check 'present:' in the participant list", "kontrollera 'present:' i deltagarlistan."),
    ("check 'items:' in the participant list", "kontrollera 'items:' i deltagarlistan."),
    (
        "the meeting title is the page's only level-1 heading; use '## ' for items",
        "mötets rubrik är sidans enda rubrik på nivå 1; använd '## ' för ärenden.",
    ),
    ("write the item's title after its number", "skriv ärendets rubrik efter numret."),
    # pages
    ("give one of them a 'slug:' to tell them apart", "ge ett av dem en 'slug:' så att de skiljs åt."),
    # review
    (
        "add 'chair:' and 'adjusters:' as the signed minutes say, or keep 'status: utkast'",
        "fyll i 'chair:' och 'adjusters:' som i det undertecknade protokollet,"
        " eller behåll 'status: utkast'.",
    ),
    (
        "minutes are adjusted after the meeting; check the date or use 'status: utkast'",
        "ett protokoll justeras efter mötet; kontrollera datumet eller använd 'status: utkast'.",
    ),
    (
        "check the municipality, or add it to the network's members",
        "kontrollera kommunen, eller lägg till den bland nätverkets medlemmar.",
    ),
    (
        "write the decision between '::: beslut' and ':::', or remove the block",
        "skriv beslutet mellan '::: beslut' och ':::', eller ta bort blocket.",
    ),
    ("§ items are numbered continuously", "paragraferna numreras i löpande följd."),
    # people
    (
        "did you mean {common}? If they are two people, declare both in {file}; if one, "
        "give it the other spelling as an alias there",
        "menar du {common}? Är det två personer, skriv in båda i {file}; är det en, ge den andra "
        "stavningen som alias (aliases) där.",
    ),
    ("give each spelling to one person only", "ge varje stavning till en enda person."),
    (
        "did you mean {other}? If they are two people, declare both in {file}; "
        "if one, give it the other spelling as an alias there",
        "menar du {other}? Är det två personer, skriv in båda i {file}; är det en, ge den andra "
        "stavningen som alias (aliases) där.",
    ),
    # personal
    (
        "remove it or mask it as {number}: justerat minutes are published",
        "ta bort det eller maskera det som {number}: justerade protokoll publiceras.",
    ),
    (
        "remove it or mask it as {number} before the minutes are justerat",
        "ta bort det eller maskera det som {number} innan protokollet justeras.",
    ),
    (
        "if it is a phone number, put a dash after the area code; if not, remove it or mask it as {number}",
        "är det ett telefonnummer, skriv ett bindestreck efter riktnumret; annars ta bort det eller"
        " maskera det som {number}.",
    ),
    (
        "remove it, or if it is the organisation's own (a switchboard)"
        " add it to allowed_contacts in site.yml",
        "ta bort uppgiften, eller lägg till den under allowed_contacts i site.yml om den är"
        " organisationens egen (till exempel växelns nummer).",
    ),
    # seal
    (
        "sigill.json is written by 'python build.py seal'; restore it from version control",
        "sigill.json skrivs av 'python build.py seal'; hämta tillbaka den ur versionshanteringen (git).",
    ),
    (
        "run 'python build.py seal' to seal the corrected minutes",
        "kör 'python build.py seal' så förseglas det rättade protokollet.",
    ),
    (
        "undo the change, or add a 'corrections:' entry (date and text) saying what was corrected,"
        " then run 'python build.py seal'",
        "ångra ändringen, eller skriv under 'corrections:' vad som rättades (date och text) och kör"
        " sedan 'python build.py seal'.",
    ),
    (
        "corrections stay in the record: restore the one that was removed",
        "rättelser är en del av protokollet: lägg tillbaka den som togs bort.",
    ),
    (
        "restore the file, or keep it with 'unpublished:' and the reason; published minutes are not deleted",
        "lägg tillbaka filen, eller behåll den med 'unpublished:' och skälet; publicerade protokoll tas"
        " inte bort.",
    ),
    (
        "§ items continue through the year; set 'numbering:' in network.yml if this network"
        " numbers otherwise",
        "paragraferna löper vidare genom året; ange 'numbering:' i network.yml om nätverket"
        " numrerar på annat sätt.",
    ),
    # attachments in search
    (
        "it is published as it is; saved again as PDF or .docx it may become searchable",
        "bilagan publiceras som den är; sparad på nytt som PDF eller .docx kan den bli sökbar.",
    ),
)

# --- the matching ----------------------------------------------------------------------------

_HOLE = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _regex(pattern: str, named: bool = True, loose: bool = False) -> str:
    """`pattern` as a regular expression: a `{name}` matches any text, a `{name:kind}` one of the
    kind's phrases (or, when `loose`, a `{variable}` of the source); `named`: capture each value
    under its name."""
    parts: list[str] = []
    last = 0
    for hole in _HOLE.finditer(pattern):
        parts.append(re.escape(pattern[last : hole.start()]))
        name, kind = hole[1], hole[2]
        if kind:
            # When `loose` (a shape from the source), the phrase may also be a variable: `{what}`.
            phrases = [f"(?:{_regex(english, named=False, loose=loose)})" for english, _ in KINDS[kind]]
            inner = "|".join([*phrases, r"\{[^{}]*\}"] if loose else phrases)
        else:
            inner = ".*?"
        parts.append(f"(?P<{name}>{inner})" if named else f"(?:{inner})")
        last = hole.end()
    parts.append(re.escape(pattern[last:]))
    return "".join(parts)


def _compile(table: Table, loose: bool = False) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return tuple((re.compile(_regex(english, loose=loose)), english, swedish) for english, swedish in table)


_COMPILED = {name: _compile(table) for name, table in {**KINDS, "message": MESSAGES, "hint": HINTS}.items()}


def _render(text: str, table: str) -> str | None:
    """`text` rendered by the first entry of `table` that matches it whole, or None."""
    for regex, english, swedish in _COMPILED[table]:
        found = regex.fullmatch(text)
        if found is None:
            continue
        values: dict[str, str] = {}
        for hole in _HOLE.finditer(english):
            value = found[hole[1]]
            kind = hole[2]
            values[hole[1]] = value if kind is None else _render(value, kind) or value
        return _fill(swedish, values)
    return None


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _HOLE.sub(lambda hole: values[hole[1]], template)


def sentence(text: str) -> str:
    """`text` with a capital first letter."""
    return text[:1].upper() + text[1:]


def swedish_message(message: str) -> str | None:
    """A diagnostic's message in Swedish, as a sentence; None when there is no rendering."""
    found = _render(message, "message")
    return None if found is None else sentence(found)


def swedish_hint(hint: str) -> str | None:
    """A diagnostic's hint in Swedish, as a sentence; None when there is no rendering. A message
    serves as a hint too (a hint can name the problem of another part)."""
    found = _render(hint, "hint")
    if found is None:
        found = _render(hint, "message")
    return None if found is None else sentence(found)


def render_message(message: str, language: str) -> str:
    """The message in `language` (`sv` or `en`); as written (English) when it has no rendering."""
    return (swedish_message(message) if language == "sv" else None) or message


def render_hint(hint: str, language: str) -> str:
    """The hint in `language` (`sv` or `en`); as written (English) when it has no rendering."""
    return (swedish_hint(hint) if language == "sv" and hint else None) or hint


def covers(shape: str) -> bool:
    """Whether some pattern matches `shape` with every `{…}` kind read as any text: the check that a
    message the source can write (its variable parts filled in by anything) has a rendering."""
    return any(regex.fullmatch(shape) for regex, _, _ in _LOOSE)


# A pattern that is one placeholder alone ("{other}": a phrase kept as it is) would cover anything.
_LOOSE = tuple(
    entry
    for table in (MESSAGES, HINTS, *KINDS.values())
    for entry in _compile(tuple((en, sv) for en, sv in table if not re.fullmatch(r"\{\w+\}", en)), loose=True)
)
