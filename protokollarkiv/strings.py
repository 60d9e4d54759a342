"""Every text the website shows, in Swedish and English: the one translation table."""

from __future__ import annotations

UI: dict[str, dict[str, str]] = {
    # Site chrome
    "skip_to_content": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "main_navigation": {"sv": "Huvudmeny", "en": "Main menu"},
    "breadcrumbs": {"sv": "Du är här", "en": "You are here"},
    "home": {"sv": "Start", "en": "Home"},
    "networks": {"sv": "Nätverk", "en": "Networks"},
    "municipalities": {"sv": "Kommuner", "en": "Municipalities"},
    "years": {"sv": "År", "en": "Years"},
    "decisions": {"sv": "Beslut", "en": "Decisions"},
    "search": {"sv": "Sök", "en": "Search"},
    "search_label": {"sv": "Sök i protokollen", "en": "Search the minutes"},
    "search_placeholder": {"sv": "t.ex. yrkesvux", "en": "e.g. vocational"},
    "accessibility": {"sv": "Tillgänglighet", "en": "Accessibility"},
    "contact": {"sv": "Kontakt", "en": "Contact"},
    "footer_text": {
        "sv": "Protokollen publiceras som allmänna handlingar.",
        "en": "The minutes are published as public records.",
    },
    "made_with": {"sv": "Byggd med Protokollarkiv", "en": "Built with Protokollarkiv"},
    # Draft
    "draft": {"sv": "Utkast", "en": "Draft"},
    "draft_banner": {
        "sv": "UTKAST – protokollet är inte justerat och publiceras inte.",
        "en": "DRAFT – these minutes are not approved and are not published.",
    },
    # Home
    "latest_minutes": {"sv": "Senaste protokollen", "en": "Latest minutes"},
    "all_networks": {"sv": "Alla nätverk", "en": "All networks"},
    "by_county": {"sv": "Kommuner per län", "en": "Municipalities by county"},
    "archive_by_year": {"sv": "Arkiv per år", "en": "Archive by year"},
    "intro_counts": {
        "sv": "{meetings} protokoll från {networks} nätverk, {first}–{last}.",
        "en": "{meetings} sets of minutes from {networks} networks, {first}–{last}.",
    },
    # Lists and counts
    "meeting_count": {"sv": "{n} protokoll", "en": "{n} sets of minutes"},
    "meeting_count_one": {"sv": "1 protokoll", "en": "1 set of minutes"},
    "decision_count": {"sv": "{n} beslut", "en": "{n} decisions"},
    "decision_count_one": {"sv": "1 beslut", "en": "1 decision"},
    "more_items": {"sv": "och {n} punkter till", "en": "and {n} more items"},
    "more_items_one": {"sv": "och 1 punkt till", "en": "and 1 more item"},
    "jump_to_year": {"sv": "Gå till år", "en": "Go to year"},
    "table": {"sv": "Tabell", "en": "Table"},
    "member_count": {"sv": "{n} medlemskommuner", "en": "{n} member municipalities"},
    # Network
    "network": {"sv": "Nätverk", "en": "Network"},
    "organiser": {"sv": "Arrangör", "en": "Organiser"},
    "region": {"sv": "Region", "en": "Region"},
    "members": {"sv": "Medlemskommuner", "en": "Member municipalities"},
    "minutes": {"sv": "Protokoll", "en": "Minutes"},
    "minutes_by_year": {"sv": "Protokoll per år", "en": "Minutes by year"},
    "joint_meeting": {"sv": "Gemensamt möte", "en": "Joint meeting"},
    "joint_with": {"sv": "gemensamt med", "en": "joint with"},
    # Meeting
    "meeting_details": {"sv": "Mötesuppgifter", "en": "Meeting details"},
    "date": {"sv": "Datum", "en": "Date"},
    "time": {"sv": "Tid", "en": "Time"},
    "place": {"sv": "Plats", "en": "Place"},
    "status": {"sv": "Status", "en": "Status"},
    "status_justerat": {"sv": "Justerat", "en": "Approved"},
    "status_utkast": {"sv": "Utkast, ej justerat", "en": "Draft, not approved"},
    "adjusted_on": {"sv": "Justerat den", "en": "Approved on"},
    "posted_on": {"sv": "Anslaget den", "en": "Posted on the notice board"},
    "appeal_ends": {"sv": "Överklagandetiden löper ut", "en": "The appeal period ends"},
    "appeal_ended": {"sv": "Överklagandetiden har gått ut.", "en": "The appeal period has ended."},
    "kept_at": {"sv": "Protokollet förvaras", "en": "The minutes are kept at"},
    "how_to_appeal": {"sv": "Så överklagar du", "en": "How to appeal"},
    "appeal_text": {
        "sv": "Den som är medlem i en av de kommuner som {body} hör till kan begära att "
        "förvaltningsrätten prövar om ett beslut i protokollet är lagligt (laglighetsprövning "
        "enligt 13 kap. kommunallagen). "
        "Skriv till förvaltningsrätten, ange vilket beslut du överklagar – protokollets datum och "
        "paragraf – och varför du anser att det inte är lagligt: att det inte har kommit till på "
        "rätt sätt, att det gäller något som organet inte får ta hand om, att organet har gått utöver "
        "sina befogenheter eller att beslutet strider mot lag. Överklagandet ska ha kommit in till "
        "förvaltningsrätten senast den dag överklagandetiden löper ut, tre veckor efter den dag då "
        "justeringen tillkännagavs på anslagstavlan.",
        "en": "Anyone who is a member of a municipality that {body} belongs to may ask the administrative "
        "court (förvaltningsrätten) to review whether a decision in these minutes is lawful "
        "(laglighetsprövning under chapter 13 of the Swedish Local Government Act). Write to the "
        "court, say which decision you appeal – the date and paragraph of the minutes – and why you "
        "consider it unlawful: that it was not made in the proper way, that it concerns something the "
        "body may not deal with, that the body exceeded its powers, or that it breaks the law. The "
        "appeal must reach the court no later than the last day of the appeal period, three weeks "
        "after the day the approval was announced on the notice board.",
    },
    "appeal_board_link": {"sv": "Anslagstavlan", "en": "The notice board"},
    # Minutes taken off publication
    "gone_title": {
        "sv": "Protokollet är borttaget från webbplatsen",
        "en": "These minutes were taken off the site",
    },
    "gone_what": {
        "sv": "Här publicerades protokollet från mötet {date} i {network}.",
        "en": "The minutes of the meeting of {network} on {date} were published here.",
    },
    "gone_reason": {"sv": "Skäl: {reason}", "en": "Reason: {reason}"},
    "gone_age": {
        "sv": "Protokoll publiceras här i {years} år efter mötesåret.",
        "en": "Minutes are published here for {years} years after the year of the meeting.",
    },
    "gone_record": {
        "sv": "Protokollet är fortfarande en allmän handling. Du kan begära att få läsa det eller få "
        "en kopia.",
        "en": "The minutes are still a public record. You may ask to read them or for a copy.",
    },
    "gone_kept_at": {"sv": "Protokollet förvaras hos: {place}.", "en": "The minutes are kept at: {place}."},
    "gone_ask": {"sv": "Fråga {organisation}:", "en": "Ask {organisation}:"},
    "gone_how": {"sv": "Så begär du ut en allmän handling", "en": "How to request a public record"},
    # The anslagstavla
    "board": {"sv": "Anslagstavla", "en": "Notice board"},
    "board_intro": {
        "sv": "Här tillkännages att protokoll från {bodies} har justerats. Från den dag då justeringen "
        "anslås har kommunmedlemmarna tre veckor på sig att överklaga besluten.",
        "en": "Here the approval of the minutes of {bodies} is announced. From the day the approval is "
        "posted, the members of the municipalities have three weeks to appeal the decisions.",
    },
    "board_built": {
        "sv": "Sidan byggdes {date} och visar anslagen som de var den dagen. Ett anslag sitter uppe till "
        "och med den dag då överklagandetiden löper ut.",
        "en": "This page was built on {date} and shows the notices as they were that day. A notice stays "
        "up until the last day of its appeal period.",
    },
    "board_open": {"sv": "Anslag", "en": "Notices"},
    "board_closed": {"sv": "Nyligen nedtagna anslag", "en": "Notices recently taken down"},
    "board_closed_intro": {
        "sv": "Överklagandetiden har gått ut för de här protokollen. De visas här i {days} dagar.",
        "en": "The appeal period of these minutes has ended. They are shown here for {days} days.",
    },
    "board_none": {
        "sv": "Just nu finns inga anslag: inget justerat protokoll har en överklagandetid som löper.",
        "en": "There are no notices at the moment: no approved minutes have an appeal period running.",
    },
    "board_meeting_date": {"sv": "Sammanträdesdatum", "en": "Date of the meeting"},
    "board_items": {"sv": "Paragrafer", "en": "Paragraphs"},
    "board_read": {"sv": "Läs protokollet", "en": "Read the minutes"},
    "board_ended": {"sv": "Överklagandetiden gick ut", "en": "The appeal period ended"},
    "board_closed_tag": {"sv": "Nedtaget", "en": "Taken down"},
    "board_feed": {"sv": "Nyhetsflöde för anslagen (Atom)", "en": "Feed of the notices (Atom)"},
    "board_feed_title": {"sv": "Anslagstavla", "en": "Notice board"},
    "board_entry_title": {
        "sv": "Justerat protokoll: {body}, {date}",
        "en": "Approved minutes: {body}, {date}",
    },
    "board_entry_summary": {
        "sv": "Protokollet från {date} ({items}) justerades {adjusted} och anslogs {posted}. "
        "Överklagandetiden löper ut {ends}.",
        "en": "The minutes of {date} ({items}) were approved on {adjusted} and posted on {posted}. "
        "The appeal period ends on {ends}.",
    },
    "chair": {"sv": "Ordförande", "en": "Chair"},
    "secretary": {"sv": "Sekreterare", "en": "Secretary"},
    "adjusters": {"sv": "Justerare", "en": "Verified by"},
    "next_meeting": {"sv": "Nästa möte", "en": "Next meeting"},
    "original": {"sv": "Justerat original (PDF)", "en": "Signed original (PDF)"},
    "printed_from": {"sv": "Utskrift från {site}: {url}", "en": "Printed from {site}: {url}"},
    "announced_meetings": {"sv": "Aviserade möten", "en": "Announced meetings"},
    "announced_in": {"sv": "aviserat i protokollet från {date}", "en": "announced in the minutes of {date}"},
    "announced_past": {
        "sv": "Dagen har passerat; protokollet publiceras när det är justerat.",
        "en": "That day has passed; the minutes are published once approved.",
    },
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "items": {"sv": "Ärenden", "en": "Items"},
    "decision": {"sv": "Beslut", "en": "Decision"},
    # Votes, reservations and jäv in an item (issue 21)
    "vote": {"sv": "Votering", "en": "Vote"},
    "vote_caption": {
        "sv": "Votering: {ja} ja, {nej} nej, {avstar} avstår",
        "en": "Vote: {ja} yes, {nej} no, {avstar} abstained",
    },
    "vote_answer": {"sv": "Röst", "en": "Vote"},
    "vote_proposition": {"sv": "Förslag", "en": "Proposition"},
    "vote_count": {"sv": "Antal", "en": "Count"},
    "vote_names": {"sv": "Namn", "en": "Names"},
    "answer_ja": {"sv": "Ja", "en": "Yes"},
    "answer_nej": {"sv": "Nej", "en": "No"},
    "answer_avstår": {"sv": "Avstår", "en": "Abstained"},
    "vote_result": {"sv": "Resultat: {result}", "en": "Result: {result}"},
    "vote_mark": {"sv": "Votering: {score}", "en": "Vote: {score}"},
    "reservation": {"sv": "Reservation", "en": "Reservation"},
    "recused": {"sv": "Jäv", "en": "Recused"},
    "attachments": {"sv": "Bilagor", "en": "Attachments"},
    "participants": {"sv": "Deltagare", "en": "Participants"},
    "participants_main": {"sv": "Deltagare", "en": "Participants"},
    "attendance_by_municipality": {
        "sv": "Närvaro per kommun",
        "en": "Attendance by municipality",
    },
    "attendance_summary": {
        "sv": "{present} av {total} medlemskommuner representerade.",
        "en": "{present} of {total} member municipalities represented.",
    },
    "attendance_partly_summary": {
        "sv": "{partly} delvis, genom deltagare som bara var med på vissa paragrafer.",
        "en": "{partly} partly, through participants present for some items only.",
    },
    "partly": {"sv": "Delvis ({items})", "en": "Partly ({items})"},
    "partly_represented": {"sv": "Delvis representerad ({items})", "en": "Partly represented ({items})"},
    "name": {"sv": "Namn", "en": "Name"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "municipality_or_organisation": {
        "sv": "Kommun eller organisation",
        "en": "Municipality or organisation",
    },
    "role": {"sv": "Roll", "en": "Role"},
    "party": {"sv": "Parti", "en": "Party"},
    "attendance": {"sv": "Närvaro", "en": "Attendance"},
    "present": {"sv": "Närvarande", "en": "Present"},
    "absent": {"sv": "Frånvarande", "en": "Absent"},
    "not_recorded": {"sv": "Ej antecknat", "en": "Not recorded"},
    "not_member_listed": {"sv": "Ej antecknat", "en": "Not recorded"},
    "only_items": {"sv": "endast {items}", "en": "only {items}"},
    "present_for": {"sv": "Närvarande endast {items}", "en": "Present for {items} only"},
    "attendance_not_recorded": {"sv": "närvaro ej antecknad", "en": "attendance not recorded"},
    # Participant lists: sections as minutes head them, roles in words, duties, parties
    "role_section_beslutande": {"sv": "Beslutande", "en": "Voting members"},
    "role_section_ledamot": {"sv": "Ledamöter", "en": "Members"},
    "role_section_ersättare": {"sv": "Ersättare", "en": "Substitutes"},
    "role_section_adjungerad": {"sv": "Adjungerade", "en": "Co-opted members"},
    "role_section_övrig": {"sv": "Övriga deltagande", "en": "Others taking part"},
    "role_section_tjänsteperson": {"sv": "Tjänstepersoner", "en": "Officials"},
    "absent_section": {"sv": "Frånvarande", "en": "Absent"},
    "role_beslutande": {"sv": "beslutande", "en": "voting member"},
    "role_ledamot": {"sv": "ledamot", "en": "member"},
    "role_ersättare": {"sv": "ersättare", "en": "substitute"},
    "role_adjungerad": {"sv": "adjungerad", "en": "co-opted member"},
    "role_övrig": {"sv": "övrig deltagare", "en": "other participant"},
    "role_tjänsteperson": {"sv": "tjänsteperson", "en": "official"},
    "chair_duty": {"sv": "ordförande", "en": "chair"},
    "secretary_duty": {"sv": "sekreterare", "en": "secretary"},
    "adjuster_duty": {"sv": "justerare", "en": "verifies the minutes"},
    "party_S": {"sv": "Socialdemokraterna", "en": "Social Democrats"},
    "party_M": {"sv": "Moderaterna", "en": "Moderates"},
    "party_V": {"sv": "Vänsterpartiet", "en": "Left Party"},
    "party_L": {"sv": "Liberalerna", "en": "Liberals"},
    "party_KD": {"sv": "Kristdemokraterna", "en": "Christian Democrats"},
    "party_C": {"sv": "Centerpartiet", "en": "Centre Party"},
    "party_MP": {"sv": "Miljöpartiet de gröna", "en": "Green Party"},
    "party_SD": {"sv": "Sverigedemokraterna", "en": "Sweden Democrats"},
    "previous_meeting": {"sv": "Föregående protokoll", "en": "Previous minutes"},
    "following_meeting": {"sv": "Nästa protokoll", "en": "Next minutes"},
    "meeting_navigation": {"sv": "Fler protokoll från nätverket", "en": "More minutes of the network"},
    "meeting_navigation_top": {
        "sv": "Bläddra bland nätverkets protokoll",
        "en": "Browse the network's minutes",
    },
    "all_minutes_of": {"sv": "Alla protokoll från {name}", "en": "All minutes of {name}"},
    # Municipality
    "county": {"sv": "Län", "en": "County"},
    "scb_code": {"sv": "Kommunkod", "en": "Municipality code"},
    "member_of": {"sv": "Medlem i nätverk", "en": "Member of networks"},
    "no_networks": {"sv": "Kommunen är inte medlem i något nätverk.", "en": "Not a member of any network."},
    "meetings_for_municipality": {"sv": "Möten per år", "en": "Meetings by year"},
    "represented": {"sv": "Representerad", "en": "Represented"},
    "not_represented": {"sv": "Inte representerad", "en": "Not represented"},
    "meeting": {"sv": "Möte", "en": "Meeting"},
    # Year
    "year": {"sv": "År", "en": "Year"},
    "year_title": {"sv": "Protokoll {year}", "en": "Minutes {year}"},
    # Decisions
    "decision_register": {"sv": "Beslutsregister", "en": "Decision register"},
    "decision_register_intro": {
        "sv": "Alla beslut i arkivet, ett år per sida, senaste först.",
        "en": "Every decision in the archive, one year per page, newest first.",
    },
    "decision_register_year": {"sv": "Beslut {year}", "en": "Decisions {year}"},
    "decision_years": {"sv": "Beslut per år", "en": "Decisions by year"},
    "decision_year_count": {"sv": "{n} beslut", "en": "{n} decisions"},
    "keyword": {"sv": "Ord i beslutet", "en": "Words in the decision"},
    "show_procedural": {
        "sv": "Visa även formalia ({n}), t.ex. val av justerare",
        "en": "Also show formalities ({n}), e.g. choosing who verifies the minutes",
    },
    "procedural_note": {
        "sv": "Formalia (mötets öppnande, val av justerare, förra mötets protokoll, avslutning) "
        "visas inte från början.",
        "en": "Formalities (opening, choosing who verifies the minutes, the previous minutes, closing) "
        "are not shown at first.",
    },
    "search_all_years": {"sv": "Sök ”{q}” i alla år", "en": "Search “{q}” in all years"},
    "filter": {"sv": "Filtrera", "en": "Filter"},
    "filter_all": {"sv": "Alla", "en": "All"},
    "show": {"sv": "Visa", "en": "Show"},
    "item": {"sv": "Ärende", "en": "Item"},
    "shown_count": {"sv": "Visar {shown} av {total} beslut.", "en": "Showing {shown} of {total} decisions."},
    # Search
    "search_title": {"sv": "Sök i protokollen", "en": "Search the minutes"},
    "search_field": {"sv": "Sökord", "en": "Search terms"},
    "search_button": {"sv": "Sök", "en": "Search"},
    "search_filters": {"sv": "Avgränsa sökningen", "en": "Narrow the search"},
    "search_type": {"sv": "Typ", "en": "Type"},
    "search_sort": {"sv": "Sortering", "en": "Order"},
    "sort_relevance": {"sv": "Bästa träff först", "en": "Best match first"},
    "sort_newest": {"sv": "Nyast först", "en": "Newest first"},
    "search_noscript": {
        "sv": "Sökningen behöver JavaScript. Alla protokoll nås också via nätverk, kommun och år.",
        "en": "Search needs JavaScript. Every set of minutes can also be reached by network, "
        "municipality and year.",
    },
    "search_loading": {"sv": "Söker …", "en": "Searching …"},
    "search_hits_one": {"sv": "1 träff", "en": "1 result"},
    "search_hits_many": {"sv": "{n} träffar", "en": "{n} results"},
    "search_for": {"sv": "för ”{q}”", "en": "for “{q}”"},
    "search_no_hits": {
        "sv": "Inga träffar. Kontrollera stavningen, prova ett annat ord eller ta bort filter.",
        "en": "No results. Check the spelling, try another word or remove filters.",
    },
    "search_error": {
        "sv": "Sökningen kunde inte laddas. Försök igen senare.",
        "en": "The search could not be loaded. Please try again later.",
    },
    "search_showing_first": {"sv": "Visar de {n} första.", "en": "Showing the first {n}."},
    "search_more": {"sv": "Visa fler träffar", "en": "Show more results"},
    "search_in_item": {"sv": "I ärendet", "en": "In the item"},
    # About
    "about": {"sv": "Om arkivet", "en": "About the archive"},
    # Feeds, calendars, open data
    "feed": {"sv": "Nyhetsflöde (Atom)", "en": "News feed (Atom)"},
    "feed_of": {"sv": "Nyhetsflöde för {name}", "en": "News feed of {name}"},
    "calendar": {"sv": "Kalender (iCal)", "en": "Calendar (iCal)"},
    "follow": {"sv": "Följ", "en": "Follow"},
    "meeting_data": {"sv": "Protokollet som öppna data (JSON)", "en": "These minutes as open data (JSON)"},
    "open_data": {"sv": "Öppna data", "en": "Open data"},
    "open_data_intro": {
        "sv": "Alla protokoll i arkivet finns också som maskinläsbara data under stabila adresser. "
        "Filerna uppdateras vid varje publicering.",
        "en": "Every set of minutes is also available as machine-readable data under stable "
        "addresses. The files are updated on every publication.",
    },
    "licence": {"sv": "Licens", "en": "Licence"},
    "open_data_files": {"sv": "Filer", "en": "Files"},
    "file": {"sv": "Fil", "en": "File"},
    "format": {"sv": "Format", "en": "Format"},
    "content": {"sv": "Innehåll", "en": "Content"},
    "field": {"sv": "Fält", "en": "Field"},
    "description": {"sv": "Beskrivning", "en": "Description"},
    "od_meetings": {
        "sv": "Alla möten med metadata, deltagare, närvaro, ärenden och beslut.",
        "en": "Every meeting with metadata, participants, attendance, items and decisions.",
    },
    "od_decisions": {"sv": "Ett beslut per rad.", "en": "One decision per row."},
    "od_votes": {
        "sv": "En rad per namngiven röst i varje votering, eller en rad per svar (ja, nej, avstår)"
        " med antal när bara antalen protokollförts.",
        "en": "One row per named vote of each vote, or one row per answer (ja, nej, avstår) with its"
        " count when only the counts are minuted.",
    },
    "od_attendance": {
        "sv": "En rad per möte och berörd kommun (medlemskommuner och angivna).",
        "en": "One row per meeting and municipality concerned (members and listed).",
    },
    "od_meeting": {
        "sv": "Varje mötessida länkar sin egen post med samma fält som i meetings.json.",
        "en": "Every meeting page links its own record, with the fields of meetings.json.",
    },
    "od_feeds": {
        "sv": "Atom-flöden för hela arkivet, varje nätverk och varje kommun; en kalender "
        "(iCalendar) per nätverk med möten och aviserat nästa möte.",
        "en": "Atom feeds for the archive, each network and each municipality; one calendar "
        "(iCalendar) per network with its meetings and the announced next one.",
    },
    "od_meeting_fields": {"sv": "Fälten i en mötespost", "en": "Fields of a meeting record"},
    "od_csv_note": {
        "sv": "CSV-filerna är UTF-8 med komma som avgränsare och en rubrikrad.",
        "en": "The CSV files are UTF-8, comma-separated, with a header row.",
    },
    # 404
    "not_found_title": {"sv": "Sidan finns inte", "en": "Page not found"},
    "not_found_text": {
        "sv": "Sidan du söker finns inte eller har flyttats. Prova sökningen eller gå till startsidan.",
        "en": "The page you are looking for does not exist or has moved. Try the search or go home.",
    },
    # Accessibility statement
    "a11y_title": {"sv": "Tillgänglighetsredogörelse", "en": "Accessibility statement"},
    "a11y_intro": {
        "sv": "{organisation} står bakom den här webbplatsen. Vi vill att så många som möjligt "
        "ska kunna använda den. Här beskriver vi hur webbplatsen uppfyller lagen om "
        "tillgänglighet till digital offentlig service, kända brister och hur du kan rapportera "
        "problem.",
        "en": "{organisation} runs this website. We want as many people as possible to be able "
        "to use it. This statement describes how the site meets the accessibility requirements, "
        "its known shortcomings and how to report a problem.",
    },
    "a11y_compliance_title": {"sv": "Hur tillgänglig är webbplatsen?", "en": "How accessible is this site?"},
    "a11y_compliance": {
        "sv": "Webbplatsen är byggd för att uppfylla WCAG 2.1 nivå AA. Alla sidor fungerar utan "
        "JavaScript utom sökningen, med tangentbord och skärmläsare, i mobilen och vid utskrift.",
        "en": "The site is built to meet WCAG 2.1 level AA. Every page works without JavaScript "
        "except search, with keyboard and screen reader, on a phone and in print.",
    },
    "a11y_known_title": {"sv": "Kända brister", "en": "Known shortcomings"},
    "a11y_none_known": {"sv": "Inga kända brister.", "en": "No known shortcomings."},
    "a11y_tested_title": {"sv": "Hur vi testat webbplatsen", "en": "How we tested the site"},
    "a11y_tested": {
        "sv": "Webbplatsen granskades senast {date}. Varje sidtyp byggs och kontrolleras "
        "automatiskt vid varje ändring av programvaran:",
        "en": "The site was last reviewed on {date}. Every page kind is built and checked "
        "automatically on every change to the software:",
    },
    "a11y_test_axe": {
        "sv": "axe-core mot WCAG 2.0 och 2.1 nivå A och AA i Chromium, i ljust och mörkt läge,",
        "en": "axe-core against WCAG 2.0 and 2.1 levels A and AA in Chromium, in light and dark mode,",
    },
    "a11y_test_html": {
        "sv": "giltig HTML enligt Nu HTML Checker och att alla interna länkar och ankare fungerar,",
        "en": "valid HTML according to the Nu HTML Checker, and every internal link and anchor works,",
    },
    "a11y_test_keyboard": {
        "sv": "tangentbord: hopplänk först, synligt fokus, rubriknivåer utan luckor, tabeller med "
        "rubrikceller och beskrivning, sökresultat som läses upp,",
        "en": "keyboard: skip link first, visible focus, heading levels without gaps, tables with "
        "header cells and captions, search results announced,",
    },
    "a11y_test_layout": {
        "sv": "mobil (360 px bred) och text i 200 % utan vågrät rullning, samt utskrift.",
        "en": "phone (360 px wide) and 200 % text without horizontal scrolling, and print.",
    },
    "a11y_report_title": {"sv": "Rapportera brister", "en": "Report a problem"},
    "a11y_report": {
        "sv": "Om du upptäcker problem som inte beskrivs här, eller om du behöver innehåll i "
        "ett annat format, kontakta oss på",
        "en": "If you find a problem not described here, or need content in another format, contact us at",
    },
    "a11y_dos_title": {"sv": "Tillsyn", "en": "Enforcement"},
    "a11y_dos": {
        "sv": "Myndigheten för digital förvaltning (Digg) ansvarar för tillsyn enligt lagen om "
        "tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar "
        "dina synpunkter kan du kontakta Digg.",
        "en": "The Agency for Digital Government (Digg) supervises the Swedish law on accessible "
        "digital public services. If you are not satisfied with how we handle your report, you "
        "may contact Digg.",
    },
    # The preview server's overlay (shown in both languages: the editor's, whatever the site's)
    "preview_build_failed": {
        "sv": "Bygget misslyckades – sidan visar den senaste fungerande versionen.",
        "en": "The build failed – this page shows the last good version.",
    },
    "preview_internal_error": {
        "sv": "Internt fel i Protokollarkiv – sidan visar den senaste fungerande versionen.",
        "en": "Internal error in Protokollarkiv – this page shows the last good version.",
    },
    "preview_internal_file": {"sv": "Vid bearbetning av {file}", "en": "While processing {file}"},
    "preview_internal_report": {
        "sv": "Felet ligger i programmet, inte i protokollen. Rapportera det till dem som underhåller "
        "Protokollarkiv och bifoga felutskriften från servern: starta den med --debug (eller "
        "PROTOKOLLARKIV_DEBUG=1) för att se den. Servern bevakar filerna och bygger om vid nästa ändring.",
        "en": "This is a bug in the program, not in the minutes. Report it to the maintainers of "
        "Protokollarkiv with the server's error output: start it with --debug (or "
        "PROTOKOLLARKIV_DEBUG=1) to see it. The server keeps watching and rebuilds on the next change.",
    },
    # Search results
    "search_decision_title": {"sv": "{item} – beslut", "en": "{item} – decision"},
    # About pages: /om/ for citizens, the writing guide for secretaries, and the empty listings'
    # ways onward
    "about_lead": {
        "sv": "{title} publicerar protokollen från regionala nätverk där kommuner samarbetar. Här kan "
        "du läsa vad mötena tog upp och beslutade, söka i protokollen och följa nya protokoll, utan "
        "att logga in.",
        "en": "{title} publishes the minutes of regional networks in which municipalities work "
        "together. Here you can read what the meetings dealt with and decided, search the minutes "
        "and follow new ones, without logging in.",
    },
    "about_on_this_page": {"sv": "På den här sidan", "en": "On this page"},
    "about_find_title": {"sv": "Hitta protokoll", "en": "Finding minutes"},
    "about_find": {
        "sv": "Protokollen är ordnade på flera sätt:",
        "en": "The minutes are arranged in several ways:",
    },
    "about_find_networks": {
        "sv": "varje nätverk med dess medlemskommuner och alla dess protokoll",
        "en": "each network with its member municipalities and all its minutes",
    },
    "about_find_municipalities": {
        "sv": "varje kommun med mötena i dess nätverk och om kommunen var representerad",
        "en": "each municipality with the meetings of its networks and whether it was represented",
    },
    "about_find_years": {
        "sv": "varje års protokoll, nätverk för nätverk",
        "en": "each year's minutes, network by network",
    },
    "about_find_decisions": {
        "sv": "alla beslut, senaste först, att filtrera på nätverk, kommun och år",
        "en": "every decision, newest first, to filter by network, municipality and year",
    },
    "about_find_search": {
        "sv": "sök i protokollens text och avgränsa till nätverk, kommun och år",
        "en": "search the text of the minutes and narrow it down by network, municipality and year",
    },
    "about_find_follow": {
        "sv": "Nyhetsflöden (Atom) finns för hela arkivet, för varje nätverk och för varje kommun, och "
        "varje nätverk har en kalender med sina möten.",
        "en": "News feeds (Atom) are available for the whole archive, each network and each "
        "municipality, and every network has a calendar of its meetings.",
    },
    "about_publisher_title": {"sv": "Vem står bakom arkivet?", "en": "Who publishes the archive?"},
    "about_publisher": {
        "sv": "Arkivet ges ut av {organisation}.",
        "en": "The archive is published by {organisation}.",
    },
    "about_contact": {
        "sv": "Frågor om arkivet eller om ett protokoll kan du skicka till",
        "en": "Questions about the archive or about a set of minutes can be sent to",
    },
    "about_reuse": {
        "sv": "Alla protokoll finns också som maskinläsbara data:",
        "en": "Every set of minutes is also available as machine-readable data:",
    },
    "about_networks_title": {"sv": "Nätverken", "en": "The networks"},
    "about_networks": {
        "sv": "I ett nätverk möts företrädare för flera kommuner, tjänstepersoner eller förtroendevalda, "
        "för att samordna frågor som de har gemensamt. Arkivet omfattar de här nätverken:",
        "en": "In a network, representatives of several municipalities, officials or elected members, "
        "meet to coordinate matters they have in common. The archive covers these networks:",
    },
    "about_reading_title": {"sv": "Så läser du ett protokoll", "en": "How to read the minutes"},
    "about_reading": {
        "sv": "Ett protokoll är den skriftliga redogörelsen för ett möte: vilka som deltog, vilka ärenden "
        "som togs upp och vad som beslutades.",
        "en": "Minutes are the written record of a meeting: who took part, which items were dealt with "
        "and what was decided.",
    },
    "about_term_draft": {
        "sv": "Ett protokoll som ännu inte är justerat. Texten kan fortfarande ändras, och därför "
        "publiceras utkast inte här.",
        "en": "Minutes that are not yet approved (in Swedish utkast). The text may still change, so "
        "drafts are not published here.",
    },
    "about_term_approved": {
        "sv": "Ordföranden och en eller flera justerare har läst protokollet och med sina underskrifter "
        "intygat att det stämmer med vad som hände på mötet. Först då publiceras protokollet här. Vem "
        "som justerade och när står bland mötesuppgifterna.",
        "en": "The chair and one or more people chosen to verify the minutes (justerare) have read them "
        "and confirmed with their signatures that they match what happened at the meeting (in Swedish "
        "justerat). Only then are the minutes published here. Who verified them, and when, is shown "
        "in the meeting details.",
    },
    "about_term_items_title": {"sv": "§ och ärendenummer", "en": "§ and item numbers"},
    "about_term_items": {
        "sv": "Varje ärende, alltså varje fråga som mötet behandlade, har ett nummer. Tecknet § betyder "
        "paragraf. Många nätverk numrerar paragraferna löpande: numren fortsätter från möte till möte "
        "och börjar om på 1 vid årsskiftet. Andra börjar om vid varje möte eller anger dagordningens "
        "klockslag. Med numret kan vem som helst hänvisa till ett bestämt ärende, och varje ärende "
        "har en egen länk.",
        "en": "Every item, that is every matter the meeting dealt with, has a number. The sign § means "
        "paragraph (paragraf). Many networks number the paragraphs continuously: the numbers go on "
        "from meeting to meeting and start again at 1 at the turn of the year. Others start again at "
        "every meeting or use the times of day on the agenda. With the number anyone can refer to a "
        "particular item, and every item has a link of its own.",
    },
    "about_term_decision": {
        "sv": "Det som mötet kom fram till i ett ärende. Besluten är framhävda i protokollet och samlas "
        "också på en egen sida:",
        "en": "What the meeting resolved on an item. Decisions are highlighted in the minutes and also "
        "collected on a page of their own:",
    },
    "about_request_title": {"sv": "Begära ut allmänna handlingar", "en": "Requesting public documents"},
    "about_request_intro": {
        "sv": "Protokollen här är allmänna handlingar. Det är i regel också andra handlingar som en "
        "kommun, en region eller ett kommunalförbund har fått in eller själv har upprättat, till "
        "exempel underlag till ett möte, bilagor som inte publicerats här och brev. Enligt "
        "offentlighetsprincipen har alla rätt att ta del av allmänna handlingar, om inte uppgifterna "
        "i dem omfattas av sekretess.",
        "en": "The minutes here are public documents (allmänna handlingar). So, as a rule, are other "
        "documents that a municipality, a region or a local federation (kommunalförbund) has received "
        "or drawn up, for example the papers for a meeting, attachments not published here and "
        "letters. Under the principle of public access (offentlighetsprincipen) everyone has the right "
        "to read public documents, unless what they contain is confidential (sekretess).",
    },
    "about_request_how": {"sv": "Så begär du ut en handling:", "en": "How to ask for a document:"},
    "about_request_who": {
        "sv": "Vänd dig till den myndighet som har handlingen, till exempel den kommun, region eller det "
        "kommunalförbund som arrangerar nätverket. Du kan fråga på plats, per telefon, e-post eller "
        "brev.",
        "en": "Ask the authority that holds the document, for example the municipality, region or "
        "local federation that organises the network. You may ask in person, by phone, e-mail or "
        "letter.",
    },
    "about_request_anonymous": {
        "sv": "Du behöver inte tala om vem du är eller varför du vill ha handlingen. Myndigheten får "
        "fråga bara om det behövs för att pröva om något i handlingen omfattas av sekretess.",
        "en": "You do not have to say who you are or why you want the document. The authority may "
        "only ask if it needs to know in order to decide whether something in it is confidential.",
    },
    "about_request_cost": {
        "sv": "Att läsa handlingen på plats hos myndigheten kostar ingenting. Du har också rätt att få "
        "en kopia, men för den kan myndigheten ta ut en avgift. Myndigheten är inte skyldig att lämna "
        "ut handlingen i digital form, även om många gör det.",
        "en": "Reading the document on the spot at the authority costs nothing. You are also entitled "
        "to a copy, for which the authority may charge a fee. It does not have to provide the "
        "document in digital form, although many do.",
    },
    "about_request_prompt": {
        "sv": "Myndigheten ska behandla din begäran skyndsamt, vilket oftast betyder samma dag eller "
        "inom några få dagar.",
        "en": "The authority must deal with your request promptly, which usually means the same day "
        "or within a few days.",
    },
    "about_request_refusal": {
        "sv": "Om myndigheten helt eller delvis säger nej kan du begära ett skriftligt beslut. Det "
        "beslutet kan du överklaga till kammarrätten, och beslutet ska tala om hur.",
        "en": "If the authority refuses, wholly or in part, you may ask for a written decision. You can "
        "appeal that decision to the administrative court of appeal (kammarrätten), and the decision "
        "must tell you how.",
    },
    "about_request_help": {
        "sv": "Vet du inte vilken myndighet som har en handling som rör ett av nätverken? Fråga oss på",
        "en": "Not sure which authority holds a document concerning one of the networks? Ask us at",
    },
    "about_more_title": {"sv": "Mer om webbplatsen", "en": "More about this site"},
    "guide_title": {"sv": "Skriva protokoll", "en": "Writing minutes"},
    "about_guide_link": {
        "sv": "Skriva protokoll: vägledning för sekreterare",
        "en": "Writing minutes: a guide for secretaries (in Swedish)",
    },
    # Empty listings: a sentence and a way onward
    "empty_home": {
        "sv": "Inga protokoll är publicerade ännu. Protokoll publiceras här när de har justerats.",
        "en": "No minutes have been published yet. Minutes are published here once they are approved.",
    },
    "empty_home_years": {
        "sv": "Åren visas här när det första protokollet är publicerat.",
        "en": "The years appear here once the first minutes are published.",
    },
    "about_archive_link": {"sv": "Om arkivet och nätverken", "en": "About the archive and its networks"},
    "empty_network": {
        "sv": "{name} har inga publicerade protokoll ännu. Protokoll publiceras här när de har justerats; "
        "nätverkets nyhetsflöde och kalender visar när de första kommer.",
        "en": "{name} has no published minutes yet. Minutes are published here once they are approved; "
        "the network's news feed and calendar show when the first arrive.",
    },
    "empty_municipality": {
        "sv": "Det finns inga publicerade protokoll från möten som rör {name} ännu.",
        "en": "There are no published minutes of meetings concerning {name} yet.",
    },
    "all_municipalities": {"sv": "Alla kommuner", "en": "All municipalities"},
    "empty_year": {
        "sv": "Det finns inga publicerade protokoll från {year}.",
        "en": "There are no published minutes from {year}.",
    },
    "empty_years": {
        "sv": "Inga protokoll är publicerade ännu. Åren visas här när det första protokollet är publicerat.",
        "en": "No minutes have been published yet. The years appear here once the first minutes are "
        "published.",
    },
    "empty_networks": {
        "sv": "Inga nätverk är upplagda i arkivet ännu.",
        "en": "No networks have been added to the archive yet.",
    },
    "empty_municipalities": {
        "sv": "Inga kommuner är upplagda i arkivet ännu.",
        "en": "No municipalities have been added to the archive yet.",
    },
    "empty_decisions": {
        "sv": "Det finns inga beslut i arkivet ännu. Besluten i justerade protokoll samlas här, "
        "senaste först.",
        "en": "There are no decisions in the archive yet. The decisions in approved minutes are "
        "collected here, newest first.",
    },
    "decisions_none_match": {
        "sv": "Inga beslut matchar de valda filtren. Ta bort ett ord, välj Alla i något av fälten, "
        "välj ett annat år eller sök i alla protokoll.",
        "en": "No decision matches the filters chosen. Remove a word, choose All in one of the fields, "
        "choose another year or search all the minutes.",
    },
    "show_all_decisions": {"sv": "Visa alla beslut {year}", "en": "Show all decisions of {year}"},
    "search_browse": {
        "sv": "Du kan också bläddra bland protokollen:",
        "en": "You can also browse the minutes:",
    },
    # Preview overlay (the panel of the last build's errors and warnings, in the site's language)
    "overlay_label": {"sv": "Fel och varningar från bygget", "en": "Errors and warnings from the build"},
    "overlay_failed": {
        "sv": "Bygget misslyckades – sidan visar den senaste fungerande versionen.",
        "en": "The build failed – this page shows the last good version.",
    },
    "overlay_warned": {
        "sv": "Bygget lyckades, men något i filerna bör rättas.",
        "en": "The build succeeded, but something in the files should be fixed.",
    },
    "overlay_error": {"sv": "Fel", "en": "Error"},
    "overlay_warning": {"sv": "Varning", "en": "Warning"},
    "overlay_errors": {"sv": "{n} fel", "en": "{n} errors"},
    "overlay_errors_one": {"sv": "1 fel", "en": "1 error"},
    "overlay_warnings": {"sv": "{n} varningar", "en": "{n} warnings"},
    "overlay_warnings_one": {"sv": "1 varning", "en": "1 warning"},
    "overlay_hint": {"sv": "Tips:", "en": "Hint:"},
    "overlay_position": {"sv": "rad {line}, kolumn {column}", "en": "line {line}, column {column}"},
    "overlay_excerpt": {"sv": "Utdrag ur {file}", "en": "Excerpt of {file}"},
    "overlay_more": {
        "sv": "… och {n} till; terminalen visar alla.",
        "en": "… and {n} more; the terminal shows them all.",
    },
    "overlay_close": {"sv": "Stäng", "en": "Close"},
    "overlay_close_label": {
        "sv": "Stäng panelen med fel och varningar",
        "en": "Close the panel of errors and warnings",
    },
    # Sealed protocols
    "corrections": {"sv": "Rättelser", "en": "Corrections"},
    "corrections_intro": {
        "sv": "Protokollet har rättats efter justeringen:",
        "en": "The minutes were corrected after justering:",
    },
    "seal": {"sv": "Sigill (SHA-256)", "en": "Seal (SHA-256)"},
    "seal_note": {
        "sv": "En kontrollsumma av protokollets publicerade uppgifter och text."
        " Med den kan vem som helst kontrollera en kopia av protokollet (mote.json).",
        "en": "A checksum of the minutes' published facts and text."
        " With it anyone can check a copy of the minutes (mote.json).",
    },
    # Web editor
    "cms_page_title": {"sv": "Redigera protokoll", "en": "Edit minutes"},
    "cms_noscript": {
        "sv": "Redigeraren behöver JavaScript. Du kan också skriva protokollen som filer; se guiden.",
        "en": "The editor needs JavaScript. You can also write the minutes as files; see the guide.",
    },
    "cms_meeting": {"sv": "protokoll", "en": "minutes"},
    "cms_title": {"sv": "Rubrik", "en": "Title"},
    "cms_title_hint": {"sv": "Lämnas tom för nätverkets namn.", "en": "Leave empty for the network's name."},
    "cms_date": {"sv": "Datum", "en": "Date"},
    "cms_date_hint": {
        "sv": "Mötesdagen. Filen får namn efter den och hamnar i årets mapp.",
        "en": "The day of the meeting. The file is named after it and kept in its year's folder.",
    },
    "cms_time": {"sv": "Tid", "en": "Time"},
    "cms_time_hint": {
        "sv": "TT:MM eller TT:MM-TT:MM, till exempel 09:00-12:00.",
        "en": "HH:MM or HH:MM-HH:MM, e.g. 09:00-12:00.",
    },
    "cms_place": {"sv": "Plats", "en": "Place"},
    "cms_place_hint": {
        "sv": "Till exempel Regionens Hus eller Digitalt (Teams).",
        "en": "E.g. Regionens Hus or Digitalt (Teams).",
    },
    "cms_networks": {"sv": "Nätverk", "en": "Networks"},
    "cms_networks_hint": {
        "sv": "Bara om mötet var gemensamt för flera nätverk; det första är huvudnätverket.",
        "en": "Only for a joint meeting of several networks; the first is the primary one.",
    },
    "cms_status": {"sv": "Status", "en": "Status"},
    "cms_status_hint": {
        "sv": "Ett utkast publiceras inte. Välj justerat när protokollet är justerat.",
        "en": "A draft is not published. Choose justerat once the minutes are approved.",
    },
    "cms_adjusted_on": {"sv": "Justerat den", "en": "Approved on"},
    "cms_posted_on": {"sv": "Anslaget den", "en": "Posted on"},
    "cms_posted_on_hint": {
        "sv": "Dagen då justeringen tillkännagavs på anslagstavlan (organ med anslag).",
        "en": "The day the approval was announced on the notice board (bodies with anslag).",
    },
    "cms_corrections": {"sv": "Rättelser", "en": "Corrections"},
    "cms_corrections_hint": {
        "sv": "Varje ändring efter justeringen: när och vad.",
        "en": "Each change made after approval: when and what.",
    },
    "cms_correction_date": {"sv": "Datum", "en": "Date"},
    "cms_correction_text": {"sv": "Vad som rättades", "en": "What was corrected"},
    "cms_unpublished": {"sv": "Avpublicerad", "en": "Unpublished"},
    "cms_unpublished_hint": {
        "sv": "Skälet till att protokollet tagits bort från webbplatsen, till exempel gallrat enligt "
        "dokumenthanteringsplanen. Lämnas annars tom.",
        "en": "Why the minutes left the website, e.g. gallrat enligt dokumenthanteringsplanen. "
        "Otherwise leave empty.",
    },
    "cms_chair": {"sv": "Ordförande", "en": "Chair"},
    "cms_chair_hint": {
        "sv": "En eller flera, skilda med komma.",
        "en": "One or several, separated by commas.",
    },
    "cms_secretary": {"sv": "Sekreterare", "en": "Secretary"},
    "cms_adjusters": {"sv": "Justerare", "en": "Adjusters"},
    "cms_adjusters_hint": {"sv": "Skilda med komma.", "en": "Separated by commas."},
    "cms_participants": {"sv": "Deltagare", "en": "Participants"},
    "cms_participants_hint": {
        "sv": "Förra mötets deltagare står redan här, som närvarande; ändra det som inte stämmer.",
        "en": "The last meeting's participants are already here, as present; change what is not right.",
    },
    "cms_participant_name": {"sv": "Namn", "en": "Name"},
    "cms_participant_municipality": {"sv": "Kommun", "en": "Municipality"},
    "cms_participant_municipality_hint": {
        "sv": "Är personen inte från en kommun anger du organisation i stället.",
        "en": "For someone not from a municipality, give the organisation instead.",
    },
    "cms_participant_organisation": {"sv": "Organisation", "en": "Organisation"},
    "cms_participant_role": {"sv": "Roll", "en": "Role"},
    "cms_participant_party": {"sv": "Parti", "en": "Party"},
    "cms_participant_present": {"sv": "Närvaro", "en": "Attendance"},
    "cms_participant_group": {"sv": "Grupp", "en": "Group"},
    "cms_participant_group_hint": {
        "sv": "Delegationen personen kom med; visas under en egen rubrik.",
        "en": "The delegation the person came with; shown under its own heading.",
    },
    "cms_participant_items": {"sv": "Bara ärendena", "en": "Only the items"},
    "cms_participant_items_hint": {
        "sv": "Ärendenummer, skilda med komma, om personen bara deltog i några ärenden.",
        "en": "Item numbers, separated by commas, if the person took part in some items only.",
    },
    "cms_participant_recused": {"sv": "Jäv i ärendena", "en": "Recused from the items"},
    "cms_participant_recused_hint": {
        "sv": "Ärendenummer, skilda med komma, där personen anmälde jäv och inte deltog.",
        "en": "Item numbers, separated by commas, where the person declared a conflict of interest.",
    },
    "cms_present_True": {"sv": "Närvarande", "en": "Present"},
    "cms_present_False": {"sv": "Frånvarande", "en": "Absent"},
    "cms_present_None": {"sv": "Anges inte i protokollet", "en": "Not recorded in the minutes"},
    "cms_municipalities": {"sv": "Närvaro per kommun", "en": "Attendance per municipality"},
    "cms_municipalities_hint": {
        "sv": "Bara när protokollet anger närvaron per kommun.",
        "en": "Only when the minutes record attendance per municipality.",
    },
    "cms_next_meeting": {"sv": "Nästa möte", "en": "Next meeting"},
    "cms_next_meeting_hint": {
        "sv": "Ett datum (2024-10-24), flera dagar (2024-10-24--25) eller fri text.",
        "en": "A date (2024-10-24), several days (2024-10-24--25) or free text.",
    },
    "cms_attachments": {"sv": "Bilagor", "en": "Attachments"},
    "cms_attachment_file": {"sv": "Fil", "en": "File"},
    "cms_attachment_title": {"sv": "Rubrik", "en": "Title"},
    "cms_original": {"sv": "Justerat original", "en": "Signed original"},
    "cms_original_hint": {
        "sv": "Det justerade, undertecknade protokollet som PDF; länkas överst på sidan.",
        "en": "The approved, signed minutes as a PDF; linked at the top of the page.",
    },
    "cms_procedural": {"sv": "Formalia", "en": "Procedural items"},
    "cms_slug": {"sv": "Extra del i adressen", "en": "Extra part of the address"},
    "cms_slug_hint": {
        "sv": "Bara när två möten har samma datum, till exempel extra.",
        "en": "Only when two meetings share a date, e.g. extra.",
    },
    "cms_aliases": {"sv": "Gamla adresser", "en": "Old addresses"},
    "cms_aliases_hint": {
        "sv": "Adresser som ska leda hit, skilda med komma.",
        "en": "Addresses that should lead here, separated by commas.",
    },
    "cms_body": {"sv": "Protokollet", "en": "The minutes"},
    "cms_body_hint": {
        "sv": "Ett ärende per rubrik (## § 105 Rubrik). Beslut läggs in med Beslut i menyn +.",
        "en": "One item per heading (## § 105 Title). Add a decision with Beslut in the + menu.",
    },
    "cms_decision": {"sv": "Beslut", "en": "Decision"},
    "cms_decision_text": {"sv": "Beslutet", "en": "The decision"},
    # People (issue 21): /person/ and /person/<slug>/
    "person": {"sv": "Person", "en": "Person"},
    "persons": {"sv": "Personer", "en": "People"},
    "persons_intro": {
        "sv": "Alla som protokollen namnger som deltagare, ordförande, sekreterare eller justerare, "
        "efter kommun eller organisation och namn. Kommun och organisation är de som det senaste "
        "protokollet anger.",
        "en": "Everyone the minutes name as a participant, chair, secretary or adjuster, by "
        "municipality or organisation and name, as the latest minutes give them.",
    },
    "persons_unaffiliated": {
        "sv": "Utan kommun eller organisation",
        "en": "Without municipality or organisation",
    },
    "jump_to_group": {"sv": "Gå till kommun eller organisation", "en": "Go to municipality or organisation"},
    "empty_persons": {
        "sv": "Inga personer att visa: de publicerade protokollen namnger ingen deltagare.",
        "en": "No people to show: the published minutes name no participants.",
    },
    "person_meetings": {"sv": "{n} protokoll, {years}.", "en": "{n} sets of minutes, {years}."},
    "person_meetings_one": {"sv": "1 protokoll, {years}.", "en": "1 set of minutes, {years}."},
    "person_roles": {"sv": "Nätverk och roller", "en": "Networks and roles"},
    "person_no_roles": {
        "sv": "{name} står inte på deltagarlistan i något publicerat protokoll, bara som ordförande, "
        "sekreterare eller justerare.",
        "en": "{name} is on no published participant list, only named as chair, secretary or adjuster.",
    },
    "person_from": {"sv": "Första möte", "en": "First meeting"},
    "person_to": {"sv": "Senaste möte", "en": "Latest meeting"},
    "person_meeting_count": {"sv": "Möten", "en": "Meetings"},
    "person_attendance": {"sv": "Närvaro per nätverk och år", "en": "Attendance by network and year"},
    "person_attendance_note": {
        "sv": "Andelen närvaro räknas på de möten där protokollet antecknar närvaro. Möten där "
        "närvaron inte är antecknad räknas för sig, inte som frånvaro.",
        "en": "The attendance rate counts the meetings whose minutes record attendance. Meetings "
        "where attendance is not recorded are counted apart, not as absences.",
    },
    "attendance_rate": {"sv": "Andel närvaro", "en": "Attendance rate"},
    "attendance_rate_value": {"sv": "{rate} %", "en": "{rate}%"},
    "attendance_rate_unknown": {"sv": "–", "en": "–"},
    "person_duties": {"sv": "Uppdrag vid möten", "en": "Duties at meetings"},
    "person_no_duties": {
        "sv": "{name} har inte varit ordförande, sekreterare eller justerare vid något publicerat möte.",
        "en": "{name} has not been chair, secretary or adjuster at any published meeting.",
    },
    "duty": {"sv": "Uppdrag", "en": "Duty"},
    "person_votes": {"sv": "Voteringar och reservationer", "en": "Votes and reservations"},
    "person_answer_ja": {"sv": "röstade ja", "en": "voted yes"},
    "person_answer_nej": {"sv": "röstade nej", "en": "voted no"},
    "person_answer_avstår": {"sv": "avstod från att rösta", "en": "abstained"},
    "person_no_votes": {
        "sv": "Protokollen antecknar inga voteringar med namn eller reservationer för {name}.",
        "en": "The minutes record no named votes or reservations for {name}.",
    },
    "person_meetings_heading": {"sv": "Möten", "en": "Meetings"},
    "all_persons": {"sv": "Alla personer", "en": "All people"},
    # Attachments in search
    "attachment_text": {"sv": "Text ur bilagan", "en": "Text from the attachment"},
    "attachment_shortened": {
        "sv": "Texten är förkortad: bara början av bilagan visas här och går att söka i.",
        "en": "The text is shortened: only the start of the attachment is shown here and searchable.",
    },
    "attachment_no_text": {
        "sv": "(skannad, utan sökbar text)",
        "en": "(scanned, without searchable text)",
    },
    "search_attachment_title": {"sv": "Bilaga: {title}", "en": "Attachment: {title}"},
}


# The documented shape of a meeting record in /data/meetings.json (see feeds.meeting_record).
MEETING_FIELDS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("id", "text", {"sv": "Stabil identitet: nätverk/datum", "en": "Stable identity: network/date"}),
    ("url", "URL", {"sv": "Mötessidans adress", "en": "Address of the meeting page"}),
    ("title", "text", {"sv": "Rubrik", "en": "Title"}),
    ("date", "YYYY-MM-DD", {"sv": "Mötesdag", "en": "Day of the meeting"}),
    ("time", "text|null", {"sv": "Tid, t.ex. 09:00-12:00", "en": "Time, e.g. 09:00-12:00"}),
    ("place", "text|null", {"sv": "Plats", "en": "Place"}),
    (
        "networks",
        "[slug]",
        {"sv": "Nätverk; det första är huvudnätverket", "en": "Networks; the first is the primary one"},
    ),
    ("status", "utkast|justerat", {"sv": "Protokollets status", "en": "Status of the minutes"}),
    (
        "adjusted_on",
        "YYYY-MM-DD|null",
        {"sv": "Justeringsdag", "en": "Day the minutes were approved (justerade)"},
    ),
    (
        "posted_on, appeal_ends",
        "YYYY-MM-DD|null",
        {
            "sv": "Dagen då justeringen anslogs och sista dagen för överklagande (organ med anslag)",
            "en": "Day the approval was posted on the notice board, and the last day to appeal "
            "(bodies with a notice board)",
        },
    ),
    (
        "chair, secretary, adjusters",
        "[text], text, [text]",
        {
            "sv": "Ordförande, sekreterare, justerare",
            "en": "Chair, secretary, those who verified the minutes (justerare)",
        },
    ),
    ("next_meeting", "text|null", {"sv": "Aviserat nästa möte", "en": "Announced next meeting"}),
    (
        "municipalities_represented",
        "[slug]",
        {"sv": "Kommuner som var representerade", "en": "Municipalities represented"},
    ),
    (
        "attendance",
        '{slug: bool|"partly"}',
        {
            "sv": "Närvaro per kommun enligt protokollet: hela mötet (true), bara vissa paragrafer"
            ' ("partly", vilka i attendance_items) eller inte (false)',
            "en": "Attendance by municipality as the minutes record it: the whole meeting (true), some"
            ' items only ("partly", which in attendance_items) or not (false)',
        },
    ),
    (
        "attendance_items",
        "{slug: [text]}",
        {
            "sv": "Paragraferna en delvis representerad kommun var med på",
            "en": "The items a partly represented municipality took part in",
        },
    ),
    (
        "participants",
        "[object]",
        {
            "sv": "name, municipality, municipality_name, organisation, role, party, "
            "present (true/false/null), group, items, recused (paragrafer där personen anmält jäv)",
            "en": "name, municipality, municipality_name, organisation, role, party, "
            "present (true/false/null), group, items, recused (items the person was recused from)",
        },
    ),
    (
        "items",
        "[object]",
        {
            "sv": "number, label, title, url, decisions (besluten som text), procedural"
            " (true för formalia som val av justerare), votes, reservations och recused"
            " (namnen på dem som anmält jäv)",
            "en": "number, label, title, url, decisions (as text), procedural"
            " (true for formalities such as choosing who verifies the minutes), votes, reservations"
            " and recused (the names of those recused)",
        },
    ),
    (
        "items[].votes",
        "[object]",
        {
            "sv": "Voteringar i ärendet: propositions (vad ja och nej stod för), counts (ja, nej,"
            " avstår), ballots (name och vote: ja, nej eller avstår; tom när bara antalen"
            " protokollförts) och result (ja eller nej: förslaget som vann)",
            "en": "Votes in the item: propositions (what ja and nej stood for), counts (ja, nej,"
            " avstår), ballots (name and vote: ja, nej or avstår; empty when only the counts are"
            " minuted) and result (ja or nej: the proposition that won)",
        },
    ),
    (
        "items[].reservations",
        "[object]",
        {
            "sv": "Reservationer mot beslutet: names och grounds (den skriftliga motiveringen, eller null)",
            "en": "Reservations against the decision: names and grounds (the written grounds, or null)",
        },
    ),
    (
        "attachments",
        "[object]",
        {"sv": "title och url för varje bilaga", "en": "title and url of each attachment"},
    ),
    (
        "original",
        "url|null",
        {"sv": "Det justerade originalet (PDF)", "en": "The signed original (PDF)"},
    ),
    (
        "corrections",
        "[object]",
        {
            "sv": "date och text för varje rättelse gjord efter justeringen",
            "en": "date and text of each correction made after justering",
        },
    ),
    (
        "digest",
        "hex|null",
        {
            "sv": "Sigill: SHA-256 av protokollets publicerade uppgifter och text (null för utkast);"
            " python build.py verify räknar om det ur mote.json",
            "en": "Seal: SHA-256 of the minutes' published facts and text (null for drafts);"
            " python build.py verify recomputes it from mote.json",
        },
    ),
    (
        "text",
        "text",
        {
            "sv": "Bara i mote.json: protokollets text som Markdown, så som sigillet omfattar den",
            "en": "In mote.json only: the minutes' text as Markdown, as the seal covers it",
        },
    ),
)

CSV_COLUMNS: dict[str, str] = {
    "decisions.csv": "date, networks, meeting, item_number, item_title, decision, url,"
    " procedural (true: a formality such as val av justerare, false), votes (each vote of the item as"
    " '5 ja, 3 nej, 1 avstår', apart by '; '), reservations (names, apart by '; ')",
    "votes.csv": "date, networks, item_url, item_number, item_title, vote (the vote's number in its"
    " item), result (ja or nej), answer (ja, nej or avstår), proposition, name, count (empty for a"
    " named vote)",
    "attendance.csv": "date, networks, meeting_url, municipality, municipality_name, scb_code, present"
    " (true: the whole meeting, partly: some items, false, or empty: not recorded), items",
}


CONTENT_LANGUAGE = "sv"  # the language the minutes are written in, whatever the site's


def translate(key: str, language: str, **values: object) -> str:
    """The UI text `key` in `language`, with `{placeholders}` filled in."""
    text = UI[key][language]
    return text.format(**values) if values else text
