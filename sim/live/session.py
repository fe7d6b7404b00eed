"""A participatory class session: students play sponsors and employees of the merger.

The session is the server-side state behind a class (issue "Participatory class"): a room
code, the students who joined and the roles they hold, the choices they make for the coming
simulated week, and the teacher's controls. It is transport-free (a web page or a test
drives it through the same methods) and trusts nothing it is given: every message is checked
here and refused with one line that says what was wrong, and a refused message changes
nothing.

How a week works:

1. The week is *open*: students choose for it. Sponsors and supporters invite contacts into
   their team; employees see the invitations that will reach them this week and accept or
   decline; the teacher gives verdicts on the pitches due. What will reach whom is known in
   advance by :meth:`ClassSession.preview`: the week is run on a copy of the model with the
   choices made so far (the rule's random draws are the same in the copy and in the real
   week, because choices never change how many numbers a component draws).
2. The teacher advances: the choices become decisions of that week (:mod:`sim.decisions`)
   and the model runs the week. Where a student did not choose, the model's rule did, and the
   log says so. A choice for a week that is closed is refused ("too late").

Everyone not played by a student is simulated by the model's own rules, so a class of 5 or of
40 works. The session's file (:meth:`ClassSession.session`) replays the class's run byte for
byte (``merger-sim replay``).
"""

from __future__ import annotations

import copy
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from sim.decisions import Decision, DecisionBook, LogEntry
from sim.model import MergerModel
from sim.replay import Session, session_from_run
from sim.rules.distance import fit
from sim.scenario import Scenario, load_scenario

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Room codes avoid letters and digits that look alike (I/1, O/0)."""

CODE_LENGTH = 5
MAX_NICKNAME = 24
MAX_PLAYERS = 60
"""A class, not a crowd: the server's session cap is of the same order."""

Role = Literal["sponsor", "employee"]


class SessionError(ValueError):
    """A refused request: the message is one line for the student's or teacher's page."""


@dataclass
class Player:
    """A student in the session. ``token`` is their secret: it names the player in every
    request, so no one can act for another without it."""

    token: str
    nickname: str
    role: Role | None = None
    uid: int = -1  # the employee they play
    team: int = -1  # a sponsor's team
    left: bool = False


@dataclass
class WeekChoices:
    """The choices made so far for the open week, by kind."""

    invites: dict[int, list[int]] = field(default_factory=dict)  # inviter uid -> invitee uids
    responses: dict[tuple[int, int], bool] = field(default_factory=dict)  # (uid, team) -> yes
    verdicts: dict[int, bool] = field(default_factory=dict)  # team -> accept


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_nickname(raw: Any) -> str:
    """A nickname as shown to the class, or a refusal naming the rule it breaks."""
    if not isinstance(raw, str):
        raise SessionError("nickname: type a name")
    name = unicodedata.normalize("NFC", raw).strip()
    if not 1 <= len(name) <= MAX_NICKNAME:
        raise SessionError(f"nickname: 1 to {MAX_NICKNAME} characters")
    if any(not (c.isprintable() and unicodedata.category(c)[0] in "LNPSZ") for c in name):
        raise SessionError("nickname: letters, digits, spaces and punctuation only")
    return name


def _whole(value: Any, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SessionError(f"{field_name}: a whole number is expected")
    return value


class ClassSession:
    """One class's run of the case's team strategy with students in some of the roles."""

    def __init__(self, scenario: Scenario | str = "classroom", seed: int = 0,
                 code: str | None = None, max_players: int = MAX_PLAYERS) -> None:
        self.config = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.seed = int(seed)
        self.code = code or new_code()
        self.max_players = max_players
        self.book = DecisionBook()
        self.model = MergerModel(self.config, "teams", seed=self.seed, decisions=self.book)
        self.players: dict[str, Player] = {}
        self.phase: Literal["lobby", "running", "ended"] = "lobby"
        self.choices = WeekChoices()
        self._preview: tuple[int, list[LogEntry]] | None = None

    # ------------------------------------------------------------------ joining

    def join(self, code: Any, nickname: Any) -> str:
        """A student joins with the room code and a nickname; returns their token."""
        if not isinstance(code, str) or code.strip().upper() != self.code:
            raise SessionError("room code: no class with that code")
        name = clean_nickname(nickname)
        if self.phase == "ended":
            raise SessionError("the class has ended")
        if any(p.nickname.casefold() == name.casefold() for p in self.players.values()):
            raise SessionError(f"nickname: {name!r} is taken; choose another")
        if len(self.players) >= self.max_players:
            raise SessionError(f"the class is full ({self.max_players} students)")
        token = secrets.token_urlsafe(16)
        self.players[token] = Player(token, name)
        if self.phase == "running":
            self._assign([self.players[token]])
        return token

    def player(self, token: Any) -> Player:
        """The player a token names, or a refusal (a forged or stale token)."""
        found = self.players.get(token) if isinstance(token, str) else None
        if found is None:
            raise SessionError("not in this class: join again with the room code")
        return found

    def leave(self, token: Any) -> None:
        """A student leaves: from the next week on the model's rule plays their role."""
        self.player(token).left = True

    def rejoin(self, token: Any) -> Player:
        """A student who reloads the page gets their role back."""
        player = self.player(token)
        player.left = False
        return player

    # ------------------------------------------------------------------ roles

    def start(self) -> None:
        """The teacher starts: management appoints the sponsors (week 1, by the rule), then
        students get roles: the first as sponsors, the others as employees."""
        if self.phase != "lobby":
            raise SessionError("the class has already started")
        self.phase = "running"
        self.model.step()
        self._assign(list(self.players.values()))

    def _assign(self, players: list[Player]) -> None:
        strategy = self.model.strategy
        taken = {p.uid for p in self.players.values() if p.role}
        rng = np.random.default_rng([self.seed, len(taken)])
        for player in players:
            free_teams = [t for t in range(strategy.n_teams)
                          if int(self.model.uid[strategy.sponsor[t]]) not in taken
                          and strategy.sponsor[t] >= 0]
            if free_teams:
                team = free_teams[0]
                player.role, player.team = "sponsor", team
                player.uid = int(self.model.uid[strategy.sponsor[team]])
            else:
                # employees the sponsors know first: they are the ones invitations reach
                known = set()
                for sponsor in strategy.sponsor[strategy.sponsor >= 0]:
                    known.update(self._contacts(int(self.model.uid[sponsor])).tolist())
                free = np.flatnonzero(self.model.active & (self.model.team < 0))
                free_ids = [int(self.model.uid[c]) for c in free
                            if int(self.model.uid[c]) not in taken]
                candidates = [u for u in free_ids if u in known] or free_ids
                if not candidates:
                    raise SessionError("no free role left in this organisation")
                player.role = "employee"
                player.uid = int(rng.choice(candidates))
            taken.add(player.uid)

    def played_uids(self) -> list[int]:
        return sorted(p.uid for p in self.players.values() if p.role and not p.left)

    # ------------------------------------------------------------------ the open week

    @property
    def open_week(self) -> int:
        return self.model.week + 1

    def _check_open(self, week: Any) -> int:
        if self.phase != "running":
            raise SessionError("the class is not running")
        week = _whole(week, "week")
        if week != self.open_week:
            raise SessionError(f"too late: week {week} is closed; choices are now for week "
                               f"{self.open_week}")
        return week

    def _contacts(self, uid: int) -> np.ndarray:
        slot = self.model.slot_of(uid)
        adj = self.model.contacts()
        return self.model.uid[adj.indices[adj.indptr[slot]:adj.indptr[slot + 1]]]

    def choose(self, token: Any, message: Any) -> str:
        """A student's choice for the open week. ``message`` is untrusted:
        ``{"week": w, "kind": "invite", "target": uid}`` (a team member invites a contact) or
        ``{"week": w, "kind": "respond", "team": t, "accept": bool}``. Returns a short
        confirmation; raises :class:`SessionError` and changes nothing when refused."""
        player = self.player(token)
        if not isinstance(message, Mapping):
            raise SessionError("message: not understood")
        unknown = set(message) - {"week", "kind", "target", "team", "accept"}
        if unknown:
            raise SessionError(f"message: unknown field {sorted(unknown)[0]!r}")
        self._check_open(message.get("week"))
        if player.left:
            raise SessionError("you left the class: reload the page to take your role back")
        kind = message.get("kind")
        if kind == "invite":
            return self._invite(player, message.get("target"))
        if kind == "respond":
            return self._respond(player, message.get("team"), message.get("accept"))
        raise SessionError("kind: one of invite, respond")

    def _invite(self, player: Player, target: Any) -> str:
        target = _whole(target, "target")
        slot = self.model.slot_of(player.uid)
        team = int(self.model.team[slot]) if slot >= 0 else -1
        spec = self.config.teams
        if team < 0 or self.open_week > spec.recruitment_weeks:
            raise SessionError("you cannot invite now: only team members invite, in the "
                               "recruitment weeks")
        if target not in set(self._contacts(player.uid).tolist()):
            raise SessionError("target: not one of your contacts")
        allowed = (spec.sponsor_invitations if player.role == "sponsor"
                   else spec.member_invitations)
        mine = self.choices.invites.setdefault(player.uid, [])
        if target in mine:
            return "already invited"
        if len(mine) >= allowed:
            raise SessionError(f"you can invite {allowed} colleague(s) a week")
        mine.append(target)
        self._preview = None
        return "invited"

    def _respond(self, player: Player, team: Any, accept: Any) -> str:
        team = _whole(team, "team")
        if not isinstance(accept, bool):
            raise SessionError("accept: yes or no")
        offers = {e.target for e in self.preview() if e.kind == "respond"
                  and e.actor == player.uid}
        if team not in offers:
            raise SessionError("team: no invitation from that team reaches you this week")
        self.choices.responses[(player.uid, team)] = accept
        return "accepted" if accept else "declined"

    def verdict(self, team: Any, accept: Any) -> str:
        """The teacher, as central management, accepts or rejects a pitch due this week."""
        team = _whole(team, "team")
        if not isinstance(accept, bool):
            raise SessionError("accept: yes or no")
        due = {e.actor for e in self.preview() if e.kind == "verdict"}
        if team not in due:
            raise SessionError("team: no pitch from that team this week")
        self.choices.verdicts[team] = accept
        return "accepted" if accept else "rejected"

    def _decisions(self) -> list[Decision]:
        week = self.open_week
        out = [Decision(week, "play", uid) for uid in self.played_uids()]
        for inviter, guests in sorted(self.choices.invites.items()):
            out += [Decision(week, "invite", inviter, g) for g in guests]
        out += [Decision(week, "respond", uid, team, int(yes))
                for (uid, team), yes in sorted(self.choices.responses.items())]
        out += [Decision(week, "verdict", team, -1, int(yes))
                for team, yes in sorted(self.choices.verdicts.items())]
        return out

    def preview(self) -> list[LogEntry]:
        """The open week's decision points as they stand: the week run on a copy."""
        week = self.open_week
        if self._preview is not None and self._preview[0] == week:
            return self._preview[1]
        trial = copy.deepcopy(self.model)
        trial.decisions.add(self._decisions())
        before = len(trial.decisions.log)
        trial.step()
        entries = [e for e in trial.decisions.log[before:] if e.week == week]
        self._preview = (week, entries)
        return entries

    def advance(self) -> int:
        """The teacher closes the open week: the choices take effect and the week runs."""
        if self.phase != "running":
            raise SessionError("the class is not running")
        if self.model.week >= self.config.horizon.total_weeks:
            raise SessionError("the run has reached its horizon")
        self.book.add(self._decisions())
        self.model.step()
        self.choices = WeekChoices()
        self._preview = None
        return self.model.week

    def end(self) -> None:
        """The teacher ends the class (at any time); the debrief stays available."""
        self.phase = "ended"

    # ------------------------------------------------------------------ what people see

    def student_view(self, token: Any) -> dict[str, Any]:
        """What one student may see: their own situation, never another student's choices."""
        player = self.player(token)
        view: dict[str, Any] = {"nickname": player.nickname, "role": player.role,
                                "week": self.model.week, "open_week": self.open_week,
                                "phase": self.phase}
        slot = self.model.slot_of(player.uid) if player.role else -1
        if slot < 0:
            return view
        model, strategy = self.model, self.model.strategy
        team = int(model.team[slot])
        view.update({
            "city": model.city_names[int(model.city[slot])],
            "unit": int(model.unit[slot]),
            "workload": round(float(strategy.workload[slot]), 2),
            "team": strategy.theme_names[team] if team >= 0 else None,
            "my_invitations": list(self.choices.invites.get(player.uid, [])),
        })
        if team >= 0 and self.open_week <= self.config.teams.recruitment_weeks:
            contacts = [self.model.slot_of(int(u)) for u in self._contacts(player.uid)]
            view["contacts"] = [
                {"id": int(model.uid[c]), "city": model.city_names[int(model.city[c])],
                 "theme_fit": round(float(fit(model.values[c], strategy.profile[team])), 3)}
                for c in contacts if c >= 0 and model.team[c] < 0]
        if self.phase == "running":
            view["offers"] = [
                {"team": e.target, "theme": strategy.theme_names[e.target],
                 "theme_fit": round(float(fit(model.values[slot],
                                              strategy.profile[e.target])), 3),
                 "my_answer": self.choices.responses.get((player.uid, e.target))}
                for e in self.preview() if e.kind == "respond" and e.actor == player.uid]
        return view

    def teacher_view(self) -> dict[str, Any]:
        """The teacher's screen: teams and members per city, pitches waiting, the class."""
        model, strategy = self.model, self.model.strategy
        per_city = np.zeros((strategy.n_teams, len(model.city_names)), dtype=int)
        members = np.flatnonzero(model.active & (model.team >= 0))
        np.add.at(per_city, (model.team[members], model.city[members]), 1)
        waiting = ([{"team": e.actor, "theme": strategy.theme_names[e.actor],
                     "verdict": self.choices.verdicts.get(e.actor)}
                    for e in self.preview() if e.kind == "verdict"]
                   if self.phase == "running" else [])
        return {"code": self.code, "phase": self.phase, "week": model.week,
                "students": [{"nickname": p.nickname, "role": p.role, "left": p.left}
                             for p in self.players.values()],
                "teams": [{"theme": strategy.theme_names[t],
                           "members_per_city": dict(zip(model.city_names,
                                                        per_city[t].tolist(), strict=True))}
                          for t in range(strategy.n_teams)],
                "pitches_waiting": waiting}

    # ------------------------------------------------------------------ record

    def session(self, note: str = "") -> Session:
        """The class's session file: replays the run so far byte for byte."""
        return session_from_run(self.config, "teams", self.seed, self.book, note=note,
                                weeks=self.model.week)
