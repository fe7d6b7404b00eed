"""Every word the participatory class shows, in English and Dutch, in one place.

Why one module: a class runs in Dutch or English (the student's page and the teacher's screen
each choose), and a Dutch page that shows an English refusal, a "last week" line or a debrief
line is a page half in English. Keeping the texts here, keyed, lets a test check both
languages for every key (tests/test_live_dutch.py) instead of grepping templates.

The session (:mod:`sim.presentation.live.session`) raises
:class:`~sim.presentation.live.session.SessionError` with a key of :data:`ERRORS` and its fields;
the web layer writes it in the page's language. Names from the scenario go through the dashboard's
translations (themes, the Competing Values Framework's dimensions); cities are proper names and stay
as they are. """

from __future__ import annotations

from typing import Any, Final

from sim.presentation.dashboard.i18n import DIMENSION_NAMES_NL, theme_name

LANGS: Final[tuple[str, ...]] = ("en", "nl")


def lang_of(value: object) -> str:
    """A page's language from an untrusted value: Dutch if it says ``nl``, else English."""
    return "nl" if value == "nl" else "en"


ERRORS: Final[dict[str, dict[str, str]]] = {
    "room_code": {"en": "room code: no class with that code",
                  "nl": "klascode: geen klas met die code"},
    "nickname_type": {"en": "nickname: type a name", "nl": "naam: typ een naam"},
    "nickname_length": {"en": "nickname: 1 to {n} characters", "nl": "naam: 1 tot {n} tekens"},
    "nickname_chars": {"en": "nickname: letters, digits, spaces and punctuation only",
                       "nl": "naam: alleen letters, cijfers, spaties en leestekens"},
    "ended": {"en": "the class has ended", "nl": "de les is afgelopen"},
    "taken": {"en": "nickname: '{name}' is taken; choose another",
              "nl": "naam: '{name}' is al bezet; kies een andere"},
    "full": {"en": "the class is full ({n} students)", "nl": "de klas is vol ({n} leerlingen)"},
    "not_in_class": {"en": "not in this class: join again with the room code",
                     "nl": "niet in deze klas: doe opnieuw mee met de klascode"},
    "started": {"en": "the class has already started", "nl": "de les is al begonnen"},
    "no_role": {"en": "no free role left in this organisation",
                "nl": "geen vrije rol meer in deze organisatie"},
    "whole": {"en": "{field}: a whole number is expected",
              "nl": "{field}: een geheel getal verwacht"},
    "week_closed": {"en": "too late: week {week} is closed; choices are now for week {open}",
                    "nl": "te laat: week {week} is gesloten; je kiest nu voor week {open}"},
    "deadline": {"en": "too late: the deadline for week {week} has passed; the model's rule "
                       "chooses for you",
                 "nl": "te laat: de tijd voor week {week} is om; de regel van het model kiest "
                       "voor je"},
    "not_running": {"en": "the class is not running", "nl": "de les loopt niet"},
    "message": {"en": "message: not understood", "nl": "bericht: niet begrepen"},
    "unknown_field": {"en": "message: unknown field '{field}'",
                      "nl": "bericht: onbekend veld '{field}'"},
    "left": {"en": "you left the class: reload the page to take your role back",
             "nl": "je hebt de les verlaten: herlaad de pagina om je rol terug te nemen"},
    "kind": {"en": "kind: one of invite, respond, pitch, gap, call",
             "nl": "kind: een van invite, respond, pitch, gap, call"},
    "no_pitch": {"en": "your team has no pitch due this week",
                 "nl": "je team hoeft deze week niet te pitchen"},
    "plan": {"en": "plan: one of 0 .. {n}", "nl": "plan: een van 0 .. {n}"},
    "no_gap": {"en": "your team has no behaviour support due this week",
               "nl": "je team heeft deze week geen gedragsondersteuning"},
    "dim": {"en": "dim: one of 0 .. {n}", "nl": "dim: een van 0 .. {n}"},
    "cannot_invite": {"en": "you cannot invite now: only team members invite, in the "
                            "recruitment weeks",
                      "nl": "je kunt nu niet uitnodigen: alleen teamleden nodigen uit, in de "
                            "wervingsweken"},
    "not_contact": {"en": "target: not one of your contacts",
                    "nl": "target: niet een van je contacten"},
    "invite_limit": {"en": "you can invite {n} colleague(s) a week",
                     "nl": "je kunt {n} collega('s) per week uitnodigen"},
    "accept": {"en": "accept: yes or no", "nl": "accept: ja of nee"},
    "call": {"en": "call: yes or no", "nl": "call: ja of nee"},
    "no_call": {"en": "you cannot make an open call now: sponsors do, in the recruitment weeks",
                "nl": "je kunt nu geen open oproep doen: sponsors doen dat, in de "
                      "wervingsweken"},
    "no_offer": {"en": "team: no invitation from that team reaches you this week",
                 "nl": "team: deze week bereikt je geen uitnodiging van dat team"},
    "no_pitch_from": {"en": "team: no pitch from that team this week",
                      "nl": "team: geen pitch van dat team deze week"},
    "horizon": {"en": "the run has reached its horizon",
                "nl": "de run is aan het einde van zijn horizon"},
    "scenario": {"en": "scenario: not offered for a class (one of {names})",
                 "nl": "scenario: niet aangeboden voor een les (een van {names})"},
    "seed": {"en": "seed: a whole number in 0 .. 2**63 - 1",
             "nl": "seed: een geheel getal in 0 .. 2**63 - 1"},
    "auto": {"en": "auto_advance: yes or no", "nl": "auto_advance: ja of nee"},
    "too_large": {"en": "request: larger than {n} bytes", "nl": "verzoek: groter dan {n} bytes"},
    "not_json": {"en": "request: not JSON", "nl": "verzoek: geen JSON"},
    "request": {"en": "request: not understood", "nl": "verzoek: niet begrepen"},
    "teacher_key": {"en": "teacher key required", "nl": "docentsleutel nodig"},
    "not_found": {"en": "not found", "nl": "niet gevonden"},
    "server": {"en": "the server could not handle this request",
               "nl": "de server kon dit verzoek niet verwerken"},
}
"""Refusals, by key: one line naming the field or the rule, in each language."""


NOTES_NL: Final[dict[str, str]] = {
    "not an employee of the organisation this week": "deze week geen medewerker van de "
                                                     "organisatie",
    "the inviter is not in a team that recruits this week": "wie uitnodigt zit niet in een team "
                                                            "dat deze week werft",
    "more invitations than the rule allows this week": "meer uitnodigingen dan de regel deze "
                                                       "week toestaat",
    "the invitee is not one of the inviter's contacts": "de genodigde is geen contact van wie "
                                                        "uitnodigt",
    "no invitation from that team this week": "geen uitnodiging van dat team deze week",
    "plan outside": "plan buiten",
    "dimension outside": "dimensie buiten",
}
"""Dutch of the decision log's notes on refused decisions (:mod:`sim.decisions`)."""


def note_text(note: str, lang: str) -> str:
    """A refused decision's note in the page's language."""
    if lang != "nl":
        return note
    for english, dutch in NOTES_NL.items():
        if note.startswith(english):
            return dutch + note[len(english):]
    return note


PLANS: Final[dict[str, tuple[str, ...]]] = {
    "en": ("as it is", "one more week of work first", "client interviews first"),
    "nl": ("zoals het is", "eerst nog een week werk", "eerst klantinterviews"),
}
"""The pitch menu (:data:`sim.decisions.PITCH_PLANS`, by value) as the pages write it."""

KINDS: Final[dict[str, dict[str, str]]] = {
    "en": {"invite": "invitations", "respond": "answers", "pitch": "pitches prepared",
           "verdict": "verdicts", "gap": "gaps coached", "call": "open calls"},
    "nl": {"invite": "uitnodigingen", "respond": "antwoorden", "pitch": "pitches voorbereid",
           "verdict": "oordelen", "gap": "gekozen gaten", "call": "open oproepen"},
}
"""The kinds of decision point, as counted in the debrief."""

PHRASES: Final[dict[str, dict[str, str]]] = {
    "en": {"accepted": "accepted the invitation of {theme}",
           "declined": "declined the invitation of {theme}",
           "invited": "invited #{id}", "refused": "{kind}: {note}",
           "call_yes": "made an open call", "call_no": "made no open call",
           "pitch": "pitch: {plan}", "gap": "coaching on {dim}",
           "joined_vs": "joined {theme}; the rule declined",
           "declined_vs": "declined {theme}; the rule joined",
           "verdict_vs": "{verdict} the pitch of {theme} (quality {quality}); the rule "
                         "{rule}",
           "accepted_v": "accepted", "rejected_v": "rejected",
           "pitch_vs": "prepared the pitch: {plan}; the rule: {rule}",
           "gap_vs": "coached {dim}; the rule coached {rule}",
           "management": "central management",
           "invite_k": "invite", "respond_k": "answer", "pitch_k": "pitch", "gap_k": "gap",
           "verdict_k": "verdict", "call_k": "open call",
           "call_vs": "made no open call; the rule makes one"},
    "nl": {"accepted": "uitnodiging van {theme} aangenomen",
           "declined": "uitnodiging van {theme} afgeslagen",
           "invited": "#{id} uitgenodigd", "refused": "{kind}: {note}",
           "call_yes": "open oproep gedaan", "call_no": "geen open oproep gedaan",
           "pitch": "pitch: {plan}", "gap": "coaching op {dim}",
           "joined_vs": "deed mee met {theme}; de regel sloeg af",
           "declined_vs": "sloeg {theme} af; de regel deed mee",
           "verdict_vs": "{verdict} de pitch van {theme} (kwaliteit {quality}); de regel "
                         "{rule}",
           "accepted_v": "nam aan", "rejected_v": "wees af",
           "pitch_vs": "bereidde de pitch voor: {plan}; de regel: {rule}",
           "gap_vs": "coachte op {dim}; de regel coachte op {rule}",
           "management": "centraal management",
           "invite_k": "uitnodiging", "respond_k": "antwoord", "pitch_k": "pitch",
           "gap_k": "gat", "verdict_k": "oordeel", "call_k": "open oproep",
           "call_vs": "deed geen open oproep; de regel doet er een"},
}
"""Lines of the student's "last week" and of the debrief's "what the class did
differently"."""


def phrase(key: str, lang: str, **fields: object) -> str:
    return PHRASES[lang][key].format(**fields)


def theme_text(theme: str, lang: str) -> str:
    """A theme team's name in the page's language."""
    return theme_name(theme, lang)


DIMENSIONS_NL: Final[dict[str, str]] = {
    **DIMENSION_NAMES_NL, "results_oriented": "resultaatgericht", "job_oriented": "taakgericht",
    "professional": "professioneel", "open_system": "open systeem",
    "tight_control": "strakke controle", "pragmatic": "pragmatisch",
}
"""Dutch names of the shipped scenarios' value dimensions (others shown as named)."""


def dimension_text(dim: str, lang: str) -> str:
    """A value dimension's name in the page's language."""
    return DIMENSIONS_NL.get(dim, dim.replace("_", " ")) if lang == "nl" else \
        dim.replace("_", " ")


def number_text(value: float, lang: str, digits: int = 2) -> str:
    """A number with the language's decimal sign."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


STUDENT: Final[dict[str, dict[str, Any]]] = {
    "en": {"title": "Join the merger", "code": "Room code", "name": "Your name",
           "join": "Join", "wait": "Waiting for the teacher to start...", "week": "Week",
           "role": "Your role", "sponsor": "sponsor of a theme", "employee": "employee",
           "city": "City", "workload": "Workload", "team": "Your team",
           "offers": "Invitations this week", "accept": "Accept", "decline": "Decline",
           "invite": "Invite your contacts", "send": "Invite",
           "call": "Open call across the organisation this week",
           "call_help": "about {n} employees anywhere read it and decide by the same rule",
           "yes": "Make the call", "no": "No call",
           "none": "none yet", "fit": "fit with the theme",
           "sponsor_fit": "with the sponsor", "inside": "your contacts already in",
           "left_s": "s left", "deadline_passed": "time is up: the model's rule chooses",
           "pitch": "Your team's pitch to central management",
           "pitch_help": "Quality = work x (weighted mean of the ingredients); "
                         "accepted at or above",
           "ingredients": {"work": "work", "alignment": "fit with the theme's needs",
                           "diversity": "mix of cities", "cohesion": "cohesion"},
           "plans": list(PLANS["en"]),
           "expected": "expected quality", "change": "against as it is",
           "costs": "costs", "days_each": "days each", "a_week_later": "pitched a week later",
           "choose": "Choose",
           "gap": "Behaviour support: which gap does your team work on?",
           "rule_pick": "the rule's choice", "last": "Last week",
           "by_rule": "chosen by the model's rule (you did not choose)",
           "by_you": "your choice", "refused": "not possible", "leave": "Leave",
           "no_answer": "the server did not answer; try again",
           "gone": "You left: the model's rule plays your role. Reload the page to take "
                   "it back."},
    "nl": {"title": "Doe mee met de fusie", "code": "Klascode", "name": "Je naam",
           "join": "Meedoen", "wait": "Wachten tot de docent start...", "week": "Week",
           "role": "Je rol", "sponsor": "sponsor van een thema", "employee": "medewerker",
           "city": "Stad", "workload": "Werkdruk", "team": "Je team",
           "offers": "Uitnodigingen deze week", "accept": "Ja", "decline": "Nee",
           "invite": "Nodig je contacten uit", "send": "Uitnodigen",
           "call": "Open oproep in de hele organisatie deze week",
           "call_help": "zo'n {n} medewerkers, waar dan ook, lezen hem en beslissen volgens "
                        "dezelfde regel",
           "yes": "Oproep doen", "no": "Geen oproep",
           "none": "nog geen", "fit": "past bij het thema",
           "sponsor_fit": "bij de sponsor", "inside": "je contacten al in het team",
           "left_s": "s over", "deadline_passed": "de tijd is om: de regel van het model kiest",
           "pitch": "De pitch van je team aan het centrale management",
           "pitch_help": "Kwaliteit = werk x (gewogen gemiddelde van de ingrediënten); "
                         "aangenomen vanaf",
           "ingredients": {"work": "werk", "alignment": "aansluiting bij het thema",
                           "diversity": "mix van steden", "cohesion": "samenhang"},
           "plans": list(PLANS["nl"]),
           "expected": "verwachte kwaliteit", "change": "tegenover zoals het is",
           "costs": "kost", "days_each": "dagen per persoon",
           "a_week_later": "een week later gepitcht",
           "choose": "Kies",
           "gap": "Gedragsondersteuning: aan welk gat werkt je team?",
           "rule_pick": "keuze van de regel", "last": "Vorige week",
           "by_rule": "gekozen door de regel van het model (jij koos niet)",
           "by_you": "jouw keuze", "refused": "niet mogelijk", "leave": "Verlaten",
           "no_answer": "de server antwoordde niet; probeer het opnieuw",
           "gone": "Je bent weg: de regel van het model speelt je rol. Herlaad de pagina "
                   "om hem terug te nemen."},
}
"""The student's page (``/join``)."""

TEACHER: Final[dict[str, dict[str, Any]]] = {
    "en": {"title": "Class", "start": "Start", "advance": "Next week",
           "next": "Next week with a choice", "finish": "Run to the end",
           "end": "End the class", "file": "session file", "scenario": "Scenario",
           "seed": "Seed", "auto": "Advance by itself at each week's deadline",
           "join_at": "Students open", "week": "Week", "of": "of", "students": "students",
           "chose": "chose this week", "left_s": "s left",
           "deadline_passed": "deadline passed: the rule chooses for whoever did not",
           "phase": {"lobby": "waiting for students", "running": "running",
                     "ended": "ended"},
           "team": "team", "pitches": "Pitches waiting (accepted at quality {t} or more)",
           "quality": "quality", "the_rule": "the rule", "accept": "accept",
           "reject": "reject", "accepted": "accepted", "rejected": "rejected",
           "left": "left: the rule plays", "role": {"sponsor": "sponsor",
                                                    "employee": "employee"},
           "debrief_wait": "Debrief: running the comparison runs...",
           "debrief": "Debrief (week {w})", "class": "the class",
           "rules": "the rules (same seed)", "training": "training (same seed)",
           "legend": ["class", "rules", "training"],
           "differently": "What the class did differently",
           "choices_by_people": "Choices made by people",
           "week_l": "week", "composition": "Teams by city at the end of recruitment",
           "class_short": "the class", "rules_short": "the rules",
           "no_answer": "the server did not answer; try again",
           "key_title": "The teacher's screen of the class",
           "key_help": "Type the teacher key printed where the server was started "
                       "(merger-sim class or merger-sim dashboard --class).",
           "dashboard_link": "Participatory class: teacher's screen",
           "key": "Teacher key", "open": "Open", "wrong_key": "That is not this class's "
                                                             "teacher key."},
    "nl": {"title": "Les", "start": "Start", "advance": "Volgende week",
           "next": "Volgende week met een keuze", "finish": "Doorrekenen tot het einde",
           "end": "Les beëindigen", "file": "sessiebestand", "scenario": "Scenario",
           "seed": "Seed", "auto": "Zelf doorgaan als de tijd van een week om is",
           "join_at": "Leerlingen openen", "week": "Week", "of": "van",
           "students": "leerlingen", "chose": "kozen deze week", "left_s": "s over",
           "deadline_passed": "de tijd is om: de regel kiest voor wie niet koos",
           "phase": {"lobby": "wacht op leerlingen", "running": "loopt",
                     "ended": "afgelopen"},
           "team": "team", "pitches": "Pitches die wachten (aangenomen vanaf kwaliteit {t})",
           "quality": "kwaliteit", "the_rule": "de regel", "accept": "aannemen",
           "reject": "afwijzen", "accepted": "aangenomen", "rejected": "afgewezen",
           "left": "weg: de regel speelt", "role": {"sponsor": "sponsor",
                                                    "employee": "medewerker"},
           "debrief_wait": "Nabespreking: de vergelijkingsruns worden gerekend...",
           "debrief": "Nabespreking (week {w})", "class": "de klas",
           "rules": "de regels (zelfde seed)", "training": "training (zelfde seed)",
           "legend": ["klas", "regels", "training"],
           "differently": "Wat de klas anders deed",
           "choices_by_people": "Keuzes door mensen",
           "week_l": "week", "composition": "Teams per stad aan het einde van de werving",
           "class_short": "de klas", "rules_short": "de regels",
           "no_answer": "de server antwoordde niet; probeer het opnieuw",
           "key_title": "Het scherm van de docent",
           "key_help": "Typ de docentsleutel die werd getoond waar de server is gestart "
                       "(merger-sim class of merger-sim dashboard --class).",
           "dashboard_link": "Klassikaal spel: scherm van de docent",
           "key": "Docentsleutel", "open": "Openen", "wrong_key": "Dat is niet de "
                                                                 "docentsleutel van deze les."},
}
"""The teacher's screen (``/teacher``)."""
