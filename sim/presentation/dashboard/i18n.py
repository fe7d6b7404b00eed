"""English and Dutch text for the dashboard: every label, the plot titles and the Info panel.

Why one table: the case is Dutch and so are many of the courses that teach it, so the
dashboard must switch language as a whole. Every key has both languages (a test checks it).
Parameter *ranges, units and defaults* are not here: they come from the scenario schema
(``sim.scenario``); this module only names the parameters and explains them in Dutch, since
the schema's descriptions are English.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final[tuple[str, ...]] = ("en", "nl")
"""Supported languages; the first is the default."""

DEFAULT_LANGUAGE: Final[str] = LANGUAGES[0]

LANGUAGE_NAMES: Final[dict[str, str]] = {"en": "English", "nl": "Nederlands"}
"""Each language's name in itself, for the toggle."""

LABELS: Final[dict[str, dict[str, str]]] = {
    "title": {"en": "Merging social services: culture in the classroom",
              "nl": "Fusie van sociale diensten: cultuur in de klas"},
    "language": {"en": "Language", "nl": "Taal"},
    "link_to_run": {"en": "Link to this run (same settings)",
                    "nl": "Link naar deze simulatie (zelfde instellingen)"},
    "download_csv": {"en": "Weekly data (CSV)", "nl": "Weekgegevens (CSV)"},
    "projector": {"en": "Projector (large type)", "nl": "Beamerstand (grote letters)"},
    "advanced": {"en": "Advanced settings", "nl": "Geavanceerd"},
    "controls": {"en": "Controls", "nl": "Bediening"},
    "model_parameters": {"en": "Model parameters", "nl": "Modelparameters"},
    "information": {"en": "Information", "nl": "Informatie"},
    "command_console": {"en": "Command console", "nl": "Opdrachtconsole"},
    "play_interval": {"en": "Pause between steps while playing (ms)",
                      "nl": "Pauze tussen stappen bij afspelen (ms)"},
    "render_interval": {"en": "Weeks per step",
                        "nl": "Weken per stap"},
    "use_threads": {"en": "Draw while the next weeks are computed",
                    "nl": "Tekenen terwijl de volgende weken worden berekend"},
    "threads_hint": {"en": "Increase the pause so that no picture is skipped",
                     "nl": "Verhoog de pauze zodat er geen tekening wordt overgeslagen"},
    "time_week": {"en": "Week {week}", "nl": "Week {week}"},
    "scenario": {"en": "Scenario", "nl": "Scenario"},
    "strategy": {"en": "Strategy", "nl": "Strategie"},
    "strategy_b": {"en": "Side by side: second strategy",
                   "nl": "Naast elkaar: tweede strategie"},
    "side_by_side_off": {"en": "Off (one strategy)", "nl": "Uit (één strategie)"},
    "seed": {"en": "Seed (random numbers)", "nl": "Seed (toevalsgetallen)"},
    "reset": {"en": "Reset", "nl": "Opnieuw"},
    "step": {"en": "Step", "nl": "Stap"},
    "running_now": {"en": "Running: {scenario}; {strategies}; seed {seed}",
                    "nl": "Nu: {scenario}; {strategies}; seed {seed}"},
    "changed_parameters": {"en": "changed: {changes}; everything else at the scenario's "
                                 "defaults",
                           "nl": "gewijzigd: {changes}; al het andere staat op de standaard "
                                 "van het scenario"},
    "all_defaults": {"en": "every slider and switch at the scenario's defaults",
                     "nl": "alle schuifregelaars en schakelaars op de standaard van het "
                           "scenario"},
    "finished": {"en": "The run is complete at week {week}: intervention and follow-up are "
                       "over.",
                 "nl": "De simulatie is klaar in week {week}: interventie en nameting zijn "
                       "voorbij."},
    "week": {"en": "Week", "nl": "Week"},
    "headcount": {"en": "Headcount", "nl": "Aantal medewerkers"},
    "monitor_week": {"en": "Week", "nl": "Week"},
    "monitor_distance_to_target": {"en": "Distance to target", "nl": "Afstand tot doel"},
    "monitor_city_divergence": {"en": "City divergence", "nl": "Verschil tussen steden"},
    "monitor_cross_city_ties": {"en": "Cross-city ties", "nl": "Banden tussen steden"},
    "monitor_contract_strength": {"en": "Psychological contract",
                                  "nl": "Psychologisch contract"},
    "monitor_headcount": {"en": "Headcount", "nl": "Aantal medewerkers"},
    "monitor_teams_formed": {"en": "Teams formed (in all)", "nl": "Teams gevormd (totaal)"},
    "monitor_teams_active": {"en": "Teams active now", "nl": "Teams nu actief"},
    "monitor_proposals_accepted": {"en": "Proposals accepted",
                                   "nl": "Voorstellen geaccepteerd"},
    "monitor_cost_so_far": {"en": "Cost so far", "nl": "Kosten tot nu toe"},
    "million": {"en": "M", "nl": "mln"},
    "tab_plots": {"en": "Plots", "nl": "Grafieken"},
    "tab_network": {"en": "Network", "nl": "Netwerk"},
    "tab_values": {"en": "Value space", "nl": "Waardenruimte"},
    "tab_seeds": {"en": "Ten seeds", "nl": "Tien seeds"},
    "tab_events": {"en": "Events", "nl": "Gebeurtenissen"},
    "events_title": {"en": "What happened: {strategy}", "nl": "Wat er gebeurde: {strategy}"},
    "events_none": {"en": "Nothing yet: press Step or ▶.",
                    "nl": "Nog niets: druk op Stap of ▶."},
    "event_team_formed": {"en": "team {team} starts working: {size} members from {cities} "
                                "cities ({names})",
                          "nl": "team {team} gaat aan het werk: {size} leden uit {cities} "
                                "steden ({names})"},
    "event_team_stopped": {"en": "team {team} stops", "nl": "team {team} stopt"},
    "event_proposals": {"en": "{n} proposal(s) accepted ({total} in all)",
                        "nl": "{n} voorstel(len) geaccepteerd ({total} in totaal)"},
    "event_intervention_end": {"en": "the intervention ends; the follow-up year begins",
                               "nl": "de interventie eindigt; het jaar van de nameting begint"},
    "event_quarter": {"en": "this quarter {left} employees left; headcount {headcount}",
                      "nl": "dit kwartaal vertrokken {left} medewerkers; aantal medewerkers "
                            "{headcount}"},
    "tab_profile": {"en": "Culture profile", "nl": "Cultuurprofiel"},
    "organisation": {"en": "organisation", "nl": "organisatie"},
    "profile_axis": {"en": "mean value (0-1)", "nl": "gemiddelde waarde (0-1)"},
    "group": {"en": "group", "nl": "groep"},
    "dimension": {"en": "dimension", "nl": "dimensie"},
    "profile_title": {"en": "{strategy}: culture per city, week {week}",
                      "nl": "{strategy}: cultuur per stad, week {week}"},
    "tab_info": {"en": "Info", "nl": "Info"},
    "ten_seeds_title": {"en": "Effect or luck? The same settings with ten seeds",
                        "nl": "Effect of toeval? Dezelfde instellingen met tien seeds"},
    "ten_seeds_help": {"en": "Runs the settings of the run on screen (scenario, strategies, "
                             "sliders) to the end for seeds {first} to {last}, without drawing. "
                             "Does the same strategy come out ahead every time, and by how much?",
                       "nl": "Draait de instellingen van de simulatie op het scherm (scenario, "
                             "strategieën, schuifregelaars) tot het einde met de seeds {first} "
                             "tot en met {last}, zonder te tekenen. Komt dezelfde strategie "
                             "iedere keer als beste uit de bus, en met hoeveel?"},
    "run_ten_seeds": {"en": "Run seeds {first}-{last}", "nl": "Draai seeds {first}-{last}"},
    "at_intervention_end": {"en": "end of intervention", "nl": "einde interventie"},
    "at_end": {"en": "end", "nl": "einde"},
    "mean": {"en": "mean", "nl": "gemiddelde"},
    "lowest": {"en": "lowest", "nl": "laagste"},
    "highest": {"en": "highest", "nl": "hoogste"},
    "seeds_wins": {"en": "{second} ended the intervention closer to the target than {first} "
                         "in {n} of {total} seeds.",
                   "nl": "{second} eindigde de interventie dichter bij het doel dan {first} in "
                         "{n} van de {total} seeds."},
    "colour_by": {"en": "Colour by", "nl": "Kleur naar"},
    "by_city": {"en": "City", "nl": "Stad"},
    "by_team": {"en": "Team", "nl": "Team"},
    "no_team": {"en": "no team", "nl": "geen team"},
    "team_n": {"en": "team {n}", "nl": "team {n}"},
    "city_n": {"en": "city {name}", "nl": "stad {name}"},
    "target": {"en": "target culture", "nl": "doelcultuur"},
    "x_week": {"en": "week", "nl": "week"},
    "network_title": {"en": "Informal network, week {week}",
                      "nl": "Informeel netwerk, week {week}"},
    "network_note": {"en": "{nodes} employees, {edges} ties; layout fixed at week 0",
                     "nl": "{nodes} medewerkers, {edges} banden; indeling vast sinds week 0"},
    "values_title": {"en": "Values projected to 2-D (PCA), week {week}",
                     "nl": "Waarden geprojecteerd op 2-D (PCA), week {week}"},
    "pc_axis": {"en": "principal component {n} ({share:.0%} of variance at week 0)",
                "nl": "hoofdcomponent {n} ({share:.0%} van de variantie in week 0)"},
    "plot_distance_to_target": {"en": "Distance to the target culture",
                                "nl": "Afstand tot de doelcultuur"},
    "plot_city_divergence": {"en": "Divergence between cities",
                             "nl": "Verschil tussen de steden"},
    "plot_cross_city_ties": {"en": "Ties between cities", "nl": "Banden tussen steden"},
    "plot_contract_strength": {"en": "Psychological contract",
                               "nl": "Psychologisch contract"},
    "plot_cost_cum": {"en": "Cost so far", "nl": "Kosten tot nu toe"},
    "plot_teams_active": {"en": "Theme teams active", "nl": "Actieve themateams"},
    "unit_distance_to_target": {"en": "mean distance (0 = target, 1 = farthest)",
                                "nl": "gem. afstand (0 = doel, 1 = verst)"},
    "unit_city_divergence": {"en": "distance between city means (0-1)",
                             "nl": "afstand tussen stadsgemiddelden (0-1)"},
    "unit_cross_city_ties": {"en": "% of all tie weight", "nl": "% van alle banden (gewicht)"},
    "unit_contract_strength": {"en": "mean strength (0-1)", "nl": "gem. sterkte (0-1)"},
    "unit_cost_cum": {"en": "thousand EUR", "nl": "duizend euro"},
    "unit_teams_active": {"en": "teams", "nl": "teams"},
    "lower_is_better": {"en": "lower is better", "nl": "lager is beter"},
    "band_intervention": {"en": "grey: intervention", "nl": "grijs: interventie"},
    "band_followup": {"en": "dashes: end; follow-up", "nl": "streep: einde; nameting"},
    "band_end": {"en": "end of the intervention (week {week})",
                 "nl": "einde van de interventie (week {week})"},
    "plot_alignment_effect": {"en": "Alignment over doing nothing",
                              "nl": "Afstemming boven niets doen"},
    "effect_subtitle": {"en": "above 0: closer to the target culture than {none}, same seed",
                        "nl": "boven 0: dichter bij de doelcultuur dan {none}, zelfde seed"},
    "outcomes_title": {"en": "Outcomes of this run", "nl": "Uitkomsten van deze simulatie"},
    "outcomes_help": {"en": "Computed from the run on screen as `merger-sim compare` computes "
                            "them for many runs. A value appears once the run is far enough to "
                            "have it.",
                      "nl": "Berekend uit de simulatie op het scherm, zoals `merger-sim compare` "
                            "ze voor veel simulaties berekent. Een waarde verschijnt zodra de "
                            "simulatie ver genoeg is."},
    "outcome": {"en": "Outcome", "nl": "Uitkomst"},
    "better": {"en": "Better", "nl": "Beter"},
    "higher_is_better": {"en": "higher is better", "nl": "hoger is beter"},
    "effects_heading": {"en": "What it adds over doing nothing (same seed)",
                        "nl": "Wat het toevoegt boven niets doen (zelfde seed)"},
    "effects_need_none": {"en": "Choose {none} as one of two strategies side by side to see "
                                "what a strategy adds over doing nothing, on the same seed.",
                          "nl": "Kies {none} als een van twee strategieën naast elkaar om te "
                                "zien wat een strategie toevoegt boven niets doen, met dezelfde "
                                "seed."},
    "known_at_end": {"en": "at the end (week {week})", "nl": "aan het einde (week {week})"},
    "known_at_intervention_end": {"en": "end of intervention (week {week})",
                                  "nl": "einde interventie (week {week})"},
    "not_yet_reached": {"en": "not yet reached", "nl": "nog niet bereikt"},
    "not_reached": {"en": "not reached by week {week}",
                    "nl": "niet bereikt tot en met week {week}"},
    "undefined": {"en": "undefined (too small to divide by)",
                  "nl": "niet gedefinieerd (te klein om door te delen)"},
    "reference": {"en": "reference", "nl": "referentie"},
    "save_png": {"en": "Save as PNG", "nl": "Opslaan als PNG"},
    "save_svg": {"en": "Save as SVG", "nl": "Opslaan als SVG"},
    "plots_heading": {"en": "Strategy: {strategy}", "nl": "Strategie: {strategy}"},
    "parameter_guide": {"en": "The sliders and switches",
                        "nl": "De schuifregelaars en schakelaars"},
    "range": {"en": "range", "nl": "bereik"},
    "now": {"en": "now", "nl": "nu"},
    "default": {"en": "default", "nl": "standaard"},
    "on": {"en": "on", "nl": "aan"},
    "off": {"en": "off", "nl": "uit"},
    "rejected": {"en": "Not accepted, defaults used instead: {items}",
                 "nl": "Niet geaccepteerd, standaardwaarden gebruikt: {items}"},
    "reason_not_offered": {"en": "not one of the choices offered",
                           "nl": "geen van de aangeboden keuzes"},
    "reason_out_of_range": {"en": "outside {lo} to {hi}", "nl": "buiten {lo} tot {hi}"},
    "reason_not_number": {"en": "not a number", "nl": "geen getal"},
    "reason_not_switch": {"en": "not on or off", "nl": "niet aan of uit"},
    "unknown_control": {"en": "a control this page does not have",
                        "nl": "een bediening die deze pagina niet heeft"},
    "session_error": {"en": "Something went wrong in this session; it has been logged on the "
                            "server. Start again to continue.",
                      "nl": "Er ging iets mis in deze sessie; dat is op de server vastgelegd. "
                            "Begin opnieuw om verder te gaan."},
    "start_again": {"en": "Start again", "nl": "Opnieuw beginnen"},
    "step_error": {"en": "The simulation stopped because of an error; it has been logged on "
                         "the server. Press Reset to start again.",
                   "nl": "De simulatie is gestopt door een fout; die is op de server "
                         "vastgelegd. Druk op Opnieuw om opnieuw te beginnen."},
    "server_full": {"en": "The server is full ({sessions} sessions are open). Close unused "
                          "tabs, or try again in a few minutes.",
                    "nl": "De server is vol ({sessions} sessies zijn open). Sluit tabbladen "
                          "die u niet gebruikt, of probeer het over een paar minuten opnieuw."},
}
"""Interface text: key -> language -> text (``str.format`` fields where noted)."""

STRATEGY_NAMES: Final[dict[str, dict[str, str]]] = {
    "none": {"en": "No intervention", "nl": "Geen interventie"},
    "training": {"en": "Culture training", "nl": "Cultuurtraining"},
    "teams": {"en": "Theme teams (self-selected)", "nl": "Themateams (zelfselectie)"},
    "assigned-teams": {"en": "Assigned teams (business only)",
                       "nl": "Aangewezen teams (alleen zakelijk)"},
    "teams+training": {"en": "Theme teams + training", "nl": "Themateams + training"},
}
"""Display names of the registered strategies; an unknown strategy shows its key."""

SCENARIO_NAMES: Final[dict[str, dict[str, str]]] = {
    "case": {"en": "The case (1,000 employees, five cities)",
             "nl": "De casus (1.000 medewerkers, vijf steden)"},
    "classroom": {"en": "Classroom (small and fast)", "nl": "Klas (klein en snel)"},
    "two-cities": {"en": "Two cities", "nl": "Twee steden"},
    "hofstede-two-cities": {"en": "Two cities (Hofstede's practices)",
                            "nl": "Twee steden (praktijken volgens Hofstede)"},
    "ten-thousand": {"en": "Ten thousand employees", "nl": "Tienduizend medewerkers"},
    "large": {"en": "Large region", "nl": "Grote regio"},
}
"""Display names of the shipped presets; an unknown preset shows its file name."""

THEME_NAMES: Final[dict[str, dict[str, str]]] = {
    "work-first": {"en": "Work first", "nl": "Werk voorop"},
    "income-support": {"en": "Income support", "nl": "Inkomensondersteuning"},
    "care-and-participation": {"en": "Care and participation", "nl": "Zorg en participatie"},
    "employer-services": {"en": "Employer services", "nl": "Werkgeversdienstverlening"},
    "client-journey": {"en": "Client journey", "nl": "Klantreis"},
    "debt-assistance": {"en": "Debt assistance", "nl": "Schuldhulpverlening"},
    "digital-services": {"en": "Digital services", "nl": "Digitale dienstverlening"},
    "quality-and-compliance": {"en": "Quality and compliance",
                               "nl": "Kwaliteit en rechtmatigheid"},
    "regional-labour-market": {"en": "Regional labour market", "nl": "Regionale arbeidsmarkt"},
}
"""Display names of the shipped scenarios' business themes (the theme teams' names in the
event log and the network's legend); a theme of another scenario shows its id."""

PARAMETER_TEXT: Final[dict[str, dict[str, str]]] = {
    "interaction.confidence_threshold": {
        "nl_name": "Tolerantiegrens",
        "nl_help": "Twee medewerkers beïnvloeden elkaar alleen als hun waarden minder dan "
                   "deze (genormaliseerde) afstand verschillen.",
    },
    "interaction.convergence_rate": {
        "nl_name": "Aanpassingssnelheid",
        "nl_help": "Deel van het verschil dat per ontmoeting wordt overgenomen, geschaald met "
                   "openheid.",
    },
    "interaction.contacts_per_week": {
        "nl_name": "Contacten per week",
        "nl_help": "Hoeveel collega's iedere medewerker per week spreekt, gekozen naar het "
                   "gewicht van de band.",
    },
    "interaction.noise_sd": {
        "nl_name": "Culturele drift",
        "nl_help": "Kleine wekelijkse willekeurige verschuiving van iedere waarde.",
    },
    "network.cross_city_degree": {
        "nl_name": "Banden met andere steden",
        "nl_help": "Gemiddeld aantal banden van een medewerker met collega's in andere steden "
                   "bij de fusie.",
    },
    "training.cohort_size": {
        "nl_name": "Deelnemers training per week",
        "nl_help": "Aantal medewerkers dat iedere week aan de cultuurtraining begint.",
    },
    "training.dose": {
        "nl_name": "Trainingsdosis",
        "nl_help": "Deel van de afstand tot de doelcultuur dat de training behandelt.",
    },
    "training.refresher": {
        "nl_name": "Opfriscursus",
        "nl_help": "Medewerkers opnieuw trainen zodra iedereen één keer getraind is.",
    },
    "turnover.enabled": {
        "nl_name": "Verloop en werving",
        "nl_help": "Medewerkers vertrekken en worden vervangen door nieuwe collega's.",
    },
    "turnover.annual_exit_rate": {
        "nl_name": "Jaarlijks verloop",
        "nl_help": "Uitstroom per jaar bij een neutraal psychologisch contract.",
    },
    "hiring.candidates_per_vacancy": {
        "nl_name": "Kandidaten per vacature",
        "nl_help": "Aantal kandidaten per vacature; wie het best bij de doelcultuur past, "
                   "wordt aangenomen (1 = geen selectie).",
    },
    "teams.recruitment_weeks": {
        "nl_name": "Wervingsweken",
        "nl_help": "Hoe lang sponsors op 'jacht' gaan naar supporters voor hun thema.",
    },
    "teams.min_size": {
        "nl_name": "Minimale teamgrootte",
        "nl_help": "Teams met minder leden dan dit vallen na de werving uiteen.",
    },
    "teams.session_hours": {
        "nl_name": "Uren teamsessie per week",
        "nl_help": "Uren per lid per week in de gezamenlijke werksessies van het team.",
    },
    "teams.value_work": {
        "nl_name": "Werken aan waarden",
        "nl_help": "Teams onderzoeken hun psychologisch contract: persoonlijke waarden, "
                   "teamwaarden en organisatiewaarden.",
    },
    "teams.behaviour_support": {
        "nl_name": "Ondersteuning bij nieuw gedrag",
        "nl_help": "Coaching bij ieder ontdekt gedrag dat nodig is, direct toegepast in het "
                   "werk.",
    },
    "diffusion.enabled": {
        "nl_name": "Doorwerking in de eigen afdeling",
        "nl_help": "Wie veranderd is (teamleden, cursisten, gecoachten) neemt de nieuwe "
                   "cultuur mee naar collega's in de eigen afdeling; collega's trekken terug.",
    },
}
"""Dutch name and help text per parameter path. English comes from the schema itself."""

UNITS_NL: Final[dict[str, str]] = {
    "1 (normalised distance)": "genormaliseerde afstand",
    "1 per meeting": "per ontmoeting",
    "meetings per employee per week": "ontmoetingen per medewerker per week",
    "1 per week (standard deviation)": "per week (standaardafwijking)",
    "ties per employee": "banden per medewerker",
    "trainees per week": "deelnemers per week",
    "1 per year": "per jaar",
    "candidates": "kandidaten",
    "weeks": "weken",
    "hours per week": "uren per week",
    "employees": "medewerkers",
    "members": "leden",
    "hours per member per week": "uur per lid per week",
}
"""Dutch for the schema's unit strings; an unknown unit is shown as the schema has it."""


OUTCOME_TEXT_NL: Final[dict[str, tuple[str, str]]] = {
    "weeks_to_integration": ("Tijd tot integratie", "weken"),
    "integration_reached": ("Integratie bereikt", "aandeel van de simulaties"),
    "weeks_to_alignment": ("Tijd tot afstemming op het doel", "weken"),
    "alignment_reached": ("Afstemming bereikt", "aandeel van de simulaties"),
    "alignment_gain_intervention": ("Winst in afstemming tijdens de interventie",
                                    "procentpunten"),
    "alignment_gain_final": ("Winst in afstemming aan het einde", "procentpunten"),
    "durability": ("Duurzaamheid van de afstemming", "verhouding"),
    "outflow_per_year": ("Uitstroom van personeel", "% van het personeel per jaar"),
    "cost_total": ("Totale kosten", "euro"),
    "cost_per_alignment_point": ("Kosten per punt afstemming", "euro per procentpunt"),
    "alignment_effect_end_intervention": (
        "Afstemming boven geen interventie aan het einde van de interventie", "procentpunten"),
    "alignment_effect_final": ("Afstemming boven geen interventie aan het einde",
                               "procentpunten"),
    "integration_effect_end_intervention": (
        "Integratie boven geen interventie aan het einde van de interventie",
        "procentpunten verschil tussen de steden"),
    "integration_effect_final": ("Integratie boven geen interventie aan het einde",
                                 "procentpunten verschil tussen de steden"),
    "client_value_effect_end_intervention": (
        "Klantwaarde boven geen interventie aan het einde van de interventie",
        "punten (x 100)"),
    "incremental_cost": ("Extra kosten boven geen interventie", "euro"),
    "effect_durability": ("Duurzaamheid van de afstemming boven geen interventie",
                          "verhouding"),
    "icer": ("Extra kosten per punt afstemming boven geen interventie",
             "euro per procentpunt"),
}
"""Dutch label and unit of the observables registry's derived outcomes and effects
(:mod:`sim.experiments.observables` declares them, in English, once); a plugin's outcome
shows the plugin's own text."""


def outcome_text(name: str, label: str, unit: str, lang: str) -> tuple[str, str]:
    """(label, unit) of a registry observable in ``lang``: the registry's English text, or
    its Dutch translation when there is one."""
    if lang == "nl" and name in OUTCOME_TEXT_NL:
        return OUTCOME_TEXT_NL[name]
    return label, unit


def t(key: str, lang: str, **fields: object) -> str:
    """The text for ``key`` in ``lang``, with ``fields`` filled in.

    Args:
        key: a key of :data:`LABELS`.
        lang: "en" or "nl"; an unknown language falls back to English.
        **fields: values for ``{name}`` placeholders.

    Raises:
        KeyError: ``key`` is not a label (a typo should fail loudly in the tests).
    """
    entry = LABELS[key]
    text = entry.get(lang, entry[DEFAULT_LANGUAGE])
    return text.format(**fields) if fields else text


def strategy_name(strategy: str, lang: str) -> str:
    """Display name of a registered strategy; its key when no translation exists."""
    entry = STRATEGY_NAMES.get(strategy)
    return entry.get(lang, entry[DEFAULT_LANGUAGE]) if entry else strategy


def scenario_name(preset: str, lang: str) -> str:
    """Display name of a scenario preset; the file name when no translation exists."""
    entry = SCENARIO_NAMES.get(preset)
    return entry.get(lang, entry[DEFAULT_LANGUAGE]) if entry else preset


def theme_name(theme: str, lang: str) -> str:
    """Display name of a business theme (a theme team's name); its id when unknown."""
    entry = THEME_NAMES.get(theme)
    return entry.get(lang, entry[DEFAULT_LANGUAGE]) if entry else theme


def unit_text(unit: str, lang: str) -> str:
    """A schema unit as shown next to a slider; "" for dimensionless ("1", "-")."""
    unit = unit.strip()
    if unit in ("", "1", "-"):
        return ""
    if lang == "nl" and unit in UNITS_NL:
        return UNITS_NL[unit]
    if unit.startswith("1 (") and unit.endswith(")"):
        return unit[3:-1]
    if unit.startswith("1 "):
        return unit[2:]
    return unit


# --------------------------------------------------------------------------- the Info panel

INFO_SECTIONS: Final[tuple[str, ...]] = (
    "what_is_it", "how_it_works", "how_to_use_it", "things_to_notice", "things_to_try",
    "extending_the_model", "credits_and_references",
)
"""NetLogo's Info-tab sections, in NetLogo's order."""

INFO_TITLES: Final[dict[str, dict[str, str]]] = {
    "what_is_it": {"en": "WHAT IS IT?", "nl": "WAT IS HET?"},
    "how_it_works": {"en": "HOW IT WORKS", "nl": "HOE HET WERKT"},
    "how_to_use_it": {"en": "HOW TO USE IT", "nl": "HOE GEBRUIK JE HET"},
    "things_to_notice": {"en": "THINGS TO NOTICE", "nl": "WAAR JE OP KUNT LETTEN"},
    "things_to_try": {"en": "THINGS TO TRY", "nl": "DINGEN OM TE PROBEREN"},
    "extending_the_model": {"en": "EXTENDING THE MODEL", "nl": "HET MODEL UITBREIDEN"},
    "credits_and_references": {"en": "CREDITS AND REFERENCES",
                               "nl": "MAKERS EN BRONNEN"},
}

INFO_TEXT: Final[dict[str, dict[str, str]]] = {
    "what_is_it": {
        "en": (
            "Several Dutch cities had to fold their municipal social services (work, income "
            "and care for citizens who temporarily cannot support themselves) into one regional "
            "organisation. Each city brought its own culture. Management first paid for broad "
            "individual culture training, which cost a lot and changed little. It then named "
            "the central business themes; each theme got a sponsor who went looking for "
            "supporters, and nine self-selected teams built the new organisation in weekly "
            "sessions, pitched proposals, and examined the psychological contract that bound "
            "them. The culture that fitted the business results emerged from that work.\n\n"
            "This model lets you replay that merger week by week with about a thousand "
            "employees, and compare the strategies: do nothing, train everyone, assign people "
            "to teams, or let them choose theme teams."
        ),
        "nl": (
            "Een aantal Nederlandse gemeenten moest hun sociale diensten (werk, inkomen en zorg "
            "voor inwoners die tijdelijk niet in hun eigen levensonderhoud kunnen voorzien) "
            "samenvoegen tot één regionale organisatie. Iedere stad bracht een eigen cultuur "
            "mee. Het management betaalde eerst voor brede individuele cultuurtrainingen: duur, "
            "en met weinig effect. Daarna benoemde het de centrale bedrijfsthema's; ieder thema "
            "kreeg een sponsor die supporters ging zoeken, en negen zelfgekozen teams bouwden in "
            "wekelijkse sessies de nieuwe organisatie, pitchten voorstellen en onderzochten het "
            "psychologisch contract dat hen bond. De cultuur die bij de resultaten paste, "
            "ontstond uit dat werk.\n\n"
            "Met dit model speel je die fusie week voor week na met ongeveer duizend "
            "medewerkers, en vergelijk je de strategieën: niets doen, iedereen trainen, mensen "
            "in teams indelen, of hen zelf themateams laten kiezen."
        ),
    },
    "how_it_works": {
        "en": (
            "Each employee has a home city, a role and a **value vector**: four numbers "
            "between 0 and 1 on the dimensions of the Competing Values Framework (clan, "
            "adhocracy, market, hierarchy). Every week, in this order:\n\n"
            "1. **Everyday interaction.** Everyone talks to a few contacts in the informal "
            "network. If two people's values are close enough (the *confidence threshold*), "
            "both move a little toward each other; otherwise nothing happens.\n"
            "2. **The strategy acts.** *Training* shifts trainees toward the target culture; "
            "the effect fades as in studies of training transfer. *Theme teams* recruit "
            "through the network; people join a theme that fits them, meet colleagues from "
            "other cities every week, pitch proposals and get support for new behaviour.\n"
            "3. **Psychological contract.** It follows how well a person's values fit their "
            "team, unit and the organisation.\n"
            "4. **Turnover.** People with a weak contract leave more often; vacancies are "
            "filled after a delay by newcomers from the labour market.\n"
            "5. **Results and costs** are added up: client value, training days, team hours."
        ),
        "nl": (
            "Iedere medewerker heeft een thuisstad, een rol en een **waardenvector**: vier "
            "getallen tussen 0 en 1 op de dimensies van het Competing Values Framework (clan, "
            "adhocratie, markt, hiërarchie). Iedere week, in deze volgorde:\n\n"
            "1. **Dagelijkse omgang.** Iedereen spreekt een paar contacten uit het informele "
            "netwerk. Liggen de waarden van twee mensen dicht genoeg bij elkaar (de "
            "*tolerantiegrens*), dan schuiven ze een klein stukje naar elkaar toe; anders "
            "gebeurt er niets.\n"
            "2. **De strategie grijpt in.** *Training* verschuift deelnemers naar de "
            "doelcultuur; het effect zakt weg zoals in onderzoek naar transfer van training. "
            "*Themateams* werven via het netwerk; mensen sluiten zich aan bij een thema dat bij "
            "hen past, ontmoeten iedere week collega's uit andere steden, pitchen voorstellen en "
            "krijgen ondersteuning bij nieuw gedrag.\n"
            "3. **Psychologisch contract.** Dat volgt hoe goed iemands waarden passen bij team, "
            "afdeling en organisatie.\n"
            "4. **Verloop.** Mensen met een zwak contract vertrekken vaker; vacatures worden na "
            "een wachttijd vervuld door nieuwkomers van de arbeidsmarkt.\n"
            "5. **Resultaten en kosten** worden opgeteld: klantwaarde, trainingsdagen, "
            "teamuren."
        ),
    },
    "how_to_use_it": {
        "en": (
            "- Under **Model parameters**, choose a **scenario** (start with *Classroom*: small "
            "and fast), a **strategy**, the **seed** and the sliders and switches, then press "
            "**Reset** to build a new organisation with those settings. The line under the "
            "monitors says what is running.\n"
            "- Press **Step** to advance one week (or the number of *weeks per step*), or "
            "**▶** to play until the end; **❚❚** pauses.\n"
            "- Choose a **second strategy** under *Side by side* and press **Reset** to run "
            "two strategies on the same organisation and the same random numbers, in "
            "lockstep: every difference you see comes from the strategy.\n"
            "- The tabs show the **plots**, the informal **network** (coloured by city or by "
            "team) and the **value space** (each dot one employee, coloured by city; the star "
            "is the target culture). Drag a panel by its edge or resize it from its corner.\n"
            "- The monitors above the plots show, per strategy, the week, the distance to the "
            "target, the divergence between cities, the cross-city ties, the psychological "
            "contract, the headcount, the teams formed and active, the proposals accepted and "
            "the cost so far. *The sliders and switches*, next to this text, says what each "
            "parameter means.\n"
            "- Under the plots, *Outcomes of this run* gives each strategy's time to "
            "integration, alignment gained, durability and cost per point as soon as the run "
            "has them; with *No intervention* side by side it also shows what the other "
            "strategy adds over doing nothing, in a table and a plot."
        ),
        "nl": (
            "- Kies onder **Modelparameters** een **scenario** (begin met *Klas*: klein en "
            "snel), een **strategie**, de **seed** en de schuifregelaars en schakelaars, en druk "
            "dan op **Opnieuw** om met die instellingen een nieuwe organisatie te bouwen. De "
            "regel onder de meters zegt wat er loopt.\n"
            "- Druk op **Stap** om één week verder te gaan (of het aantal *weken per stap*), of "
            "op **▶** om tot het einde door te lopen; **❚❚** pauzeert.\n"
            "- Kies bij *Naast elkaar* een **tweede strategie** en druk op **Opnieuw** om twee "
            "strategieën op dezelfde organisatie en met dezelfde toevalsgetallen gelijk op te "
            "laten lopen: ieder verschil dat je ziet, komt door de strategie.\n"
            "- De tabbladen tonen de **grafieken**, het informele **netwerk** (gekleurd naar "
            "stad of naar team) en de **waardenruimte** (iedere stip is een medewerker, gekleurd "
            "naar stad; de ster is de doelcultuur). Versleep een paneel aan de rand of maak het "
            "groter vanuit de hoek.\n"
            "- De meters boven de grafieken tonen per strategie de week, de afstand tot het doel, "
            "het verschil tussen de steden, de banden tussen steden, het psychologisch contract, "
            "het aantal medewerkers, de gevormde en actieve teams, de geaccepteerde voorstellen "
            "en de kosten tot nu toe. Onder *De schuifregelaars en schakelaars*, naast deze "
            "tekst, staat wat iedere parameter betekent.\n"
            "- Onder de grafieken geeft *Uitkomsten van deze simulatie* per strategie de tijd "
            "tot integratie, de winst in afstemming, de duurzaamheid en de kosten per punt, "
            "zodra de simulatie zover is; met *Geen interventie* ernaast laat ze ook zien wat "
            "de andere strategie toevoegt boven niets doen, in een tabel en een grafiek."
        ),
    },
    "things_to_notice": {
        "en": (
            "- Under *training* the distance to the target drops quickly, then creeps back "
            "while the training still runs, inside the grey band: transfer fades and "
            "untrained colleagues pull trainees back.\n"
            "- Under *theme teams* the cross-city ties rise: people from different cities work "
            "together every week, so the network itself changes, and with it who influences "
            "whom.\n"
            "- In the network picture coloured by city, watch the clusters: do they stay "
            "separate islands or start to mix?\n"
            "- In the value space, do the city clouds move toward the star, toward each other, "
            "or neither?\n"
            "- Compare the cost curves: which strategy buys its alignment cheaper?"
        ),
        "nl": (
            "- Bij *training* daalt de afstand tot de doelcultuur snel en kruipt daarna terug, "
            "terwijl de training nog loopt, binnen de grijze band: de transfer zakt weg en "
            "niet-getrainde collega's trekken deelnemers terug.\n"
            "- Bij *themateams* nemen de banden tussen steden toe: mensen uit verschillende "
            "steden werken iedere week samen, dus het netwerk zelf verandert, en daarmee wie wie "
            "beïnvloedt.\n"
            "- Kijk in het netwerk, gekleurd naar stad, naar de clusters: blijven het losse "
            "eilanden of raken ze vermengd?\n"
            "- Bewegen de wolken van de steden in de waardenruimte naar de ster, naar elkaar, of "
            "geen van beide?\n"
            "- Vergelijk de kostencurves: welke strategie brengt de culturen het goedkoopst bij "
            "elkaar?"
        ),
    },
    "things_to_try": {
        "en": (
            "- Run *training* and *theme teams* side by side on the case. Which is faster, "
            "which lasts, which is cheaper?\n"
            "- Lower the **confidence threshold**. When people only listen to those who are "
            "already like them, what happens to the cities?\n"
            "- Set **ties to other cities** to zero. Can any strategy still align the cities?\n"
            "- Compare *assigned teams* with *theme teams*: is it the teams, or the "
            "self-selection and value work?\n"
            "- Switch off **turnover**: how much of the change came from newcomers?\n"
            "- Change the **seed** a few times: which differences survive, and which were "
            "luck?"
        ),
        "nl": (
            "- Laat *training* en *themateams* naast elkaar lopen op de casus. Welke is "
            "sneller, welke beklijft, welke is goedkoper?\n"
            "- Verlaag de **tolerantiegrens**. Wat gebeurt er met de steden als mensen alleen "
            "luisteren naar wie al op hen lijkt?\n"
            "- Zet de **banden met andere steden** op nul. Kan een strategie de steden dan nog "
            "op één lijn krijgen?\n"
            "- Vergelijk *aangewezen teams* met *themateams*: komt het door de teams, of door "
            "de zelfselectie en het werk aan waarden?\n"
            "- Zet **verloop en werving** uit: hoeveel van de verandering kwam door "
            "nieuwkomers?\n"
            "- Verander de **seed** een paar keer: welke verschillen blijven, en welke waren "
            "toeval?"
        ),
    },
    "extending_the_model": {
        "en": (
            "- Add a strategy: write a class with the strategy interface in `sim/strategies/` "
            "and register it; it appears in the strategy chooser by itself.\n"
            "- Use another culture frame (Hofstede's organisational practices) in a scenario "
            "file.\n"
            "- Write a scenario for your own organisation in `scenarios/` (TOML): cities, "
            "headcounts, culture profiles, themes.\n"
            "- Let sponsors differ in charisma, or let teams compete for the same people.\n"
            "- For research questions use the command line (`merger-sim compare`, "
            "`merger-sim sweep`) rather than the dashboard: many runs with confidence "
            "intervals."
        ),
        "nl": (
            "- Voeg een strategie toe: schrijf een klasse met de strategie-interface in "
            "`sim/strategies/` en registreer haar; ze verschijnt vanzelf in de keuzelijst.\n"
            "- Gebruik een ander cultuurkader (de organisatiepraktijken van Hofstede) in een "
            "scenariobestand.\n"
            "- Schrijf een scenario voor je eigen organisatie in `scenarios/` (TOML): steden, "
            "aantallen, cultuurprofielen, thema's.\n"
            "- Laat sponsors verschillen in overtuigingskracht, of laat teams om dezelfde "
            "mensen concurreren.\n"
            "- Gebruik voor onderzoeksvragen de opdrachtregel (`merger-sim compare`, "
            "`merger-sim sweep`) in plaats van het dashboard: veel runs met "
            "betrouwbaarheidsintervallen."
        ),
    },
    "credits_and_references": {
        "en": (
            "merger-sim, after the case *Ondernemende Sociale Dienst* (2017). Model "
            "description: `docs/ODD.md`; classroom guide: `docs/teaching/en.md`.\n\n"
            "- Deffuant, Neau, Amblard & Weisbuch (2000), *Mixing beliefs among interacting "
            "agents*.\n"
            "- Axelrod (1997), *The dissemination of culture*.\n"
            "- Cameron & Quinn, *Diagnosing and changing organizational culture* (CVF, OCAI).\n"
            "- Nahavandi & Malekzadeh (1988), *Acculturation in mergers and acquisitions*.\n"
            "- Rousseau (1995), *Psychological contracts in organizations*.\n"
            "- Kristof-Brown, Zimmerman & Johnson (2005), person-environment fit meta-analysis.\n"
            "- Saks & Belcourt (2006), training transfer over time.\n"
            "- Harrison & Carroll (1991), *Keeping the faith*.\n"
            "- Built with Mesa and Solara; the Info sections follow NetLogo's Info tab."
        ),
        "nl": (
            "merger-sim, naar de casus *Ondernemende Sociale Dienst* (2017). Modelbeschrijving: "
            "`docs/ODD.md`; lesbrief: `docs/teaching/nl.md`.\n\n"
            "- Deffuant, Neau, Amblard & Weisbuch (2000), *Mixing beliefs among interacting "
            "agents*.\n"
            "- Axelrod (1997), *The dissemination of culture*.\n"
            "- Cameron & Quinn, *Diagnosing and changing organizational culture* (CVF, OCAI).\n"
            "- Nahavandi & Malekzadeh (1988), *Acculturation in mergers and acquisitions*.\n"
            "- Rousseau (1995), *Psychological contracts in organizations*.\n"
            "- Kristof-Brown, Zimmerman & Johnson (2005), meta-analyse van person-environment "
            "fit.\n"
            "- Saks & Belcourt (2006), transfer van training in de tijd.\n"
            "- Harrison & Carroll (1991), *Keeping the faith*.\n"
            "- Gebouwd met Mesa en Solara; de Info-secties volgen het Info-tabblad van NetLogo."
        ),
    },
}
"""Info panel body per section and language (Markdown)."""


def info_sections(lang: str) -> list[tuple[str, str]]:
    """The Info panel as (title, Markdown body) pairs in NetLogo's order."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    return [(INFO_TITLES[s][lang], INFO_TEXT[s][lang]) for s in INFO_SECTIONS]


DIMENSION_NAMES_NL: Final[dict[str, str]] = {
    "clan": "clan", "adhocracy": "adhocratie", "market": "markt", "hierarchy": "hiërarchie",
}
"""Dutch names of the Competing Values Framework's dimensions (others shown as named). Here,
with the other translations, so that the class's texts need no chart code."""
