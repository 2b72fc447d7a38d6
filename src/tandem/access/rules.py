"""The permission rules of Tandem, in one table.

Each action names, per role, a :class:`Scope`: ``ANY`` (every object), ``OWN`` (only
objects the identity owns: the engine says which, e.g. a job whose ``client_id`` is the
client's) or ``NONE``. An action whose ``private`` flag is set answers a role that may do
it on its own objects, refused someone else's, as "not found": there, existence itself is
private (another client's applicants, another person's companion session). A role that may
not do it at all is refused in words (403) like anywhere else: that says nothing about any
object (an auditor asking for a job's applicants, as for its matches). Add a rule here and
it holds for the CLI, the API, the web UI and the companion alike, because the engine asks
:func:`decide` for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tandem.access.identity import Identity, Role
from tandem.errors import NotFoundError, PermissionDeniedError


class Scope(StrEnum):
    """How much of an action a role may do."""

    ANY = "any"
    OWN = "own"
    NONE = "none"


class Action(StrEnum):
    """Everything the engine may be asked to do on someone's behalf."""

    HEALTH = "health.read"
    HEALTH_DETAILS = "health.details"
    JOBS_READ = "jobs.read"
    JOB_WRITE = "job.write"
    JOB_MATCHES = "job.matches"
    JOB_APPLICANTS = "job.applicants"
    PROFILES_READ = "profiles.read"
    PROFILE_WRITE = "profile.write"
    RECOMMENDATIONS = "profile.recommendations"
    PAIR_FIT = "pair.fit"
    SEARCH_TALENT = "search.talent"
    SEARCH_JOBS = "search.jobs"
    DECISION_READ = "decision.read"
    EVENT_OUTCOME = "event.outcome"
    EVENT_VIEW = "event.view"
    IMPORT = "import"
    COMPANION_OPEN = "companion.open"
    COMPANION_READ = "companion.read"
    COMPANION_SAY = "companion.say"
    USERS = "users.manage"
    PERSON_EXPORT = "person.export"
    PERSON_ERASE = "person.erase"
    PURGE = "retention.purge"
    AUDIT_REPORT = "audit.report"
    MODEL_CARD = "models.card"
    MODELS_MANAGE = "models.manage"


@dataclass(frozen=True)
class Rule:
    """Scopes per role, and whether a refusal hides that the object exists."""

    operator: Scope
    auditor: Scope
    client: Scope
    freelancer: Scope
    private: bool = False

    def scope(self, role: Role) -> Scope:
        """The scope ``role`` has."""
        scope: Scope = getattr(self, role)
        return scope


A, OWN, N = Scope.ANY, Scope.OWN, Scope.NONE

#: The one table. Columns: operator, auditor, client, freelancer (, private).
RULES: dict[Action, Rule] = {
    Action.HEALTH: Rule(A, A, A, A),
    # /api/health is open to load balancers, which need its status only; what the service
    # holds (how many people and jobs, which models) is for operators
    Action.HEALTH_DETAILS: Rule(A, N, N, N),
    Action.JOBS_READ: Rule(A, A, A, A),  # job posts are public to signed-in users
    Action.JOB_WRITE: Rule(A, N, OWN, N),  # own: the job's client_id is the client's
    # Auditors read rankings only through the decision log, without people (issue 14: "no
    # personal data"): no job's named candidates, no profiles, no talent search.
    Action.JOB_MATCHES: Rule(A, N, OWN, N),
    Action.JOB_APPLICANTS: Rule(A, N, OWN, N, private=True),
    Action.PROFILES_READ: Rule(A, N, A, A),  # public projection unless the person/operator
    Action.PROFILE_WRITE: Rule(A, N, N, OWN),  # own: the freelancer's own profile
    Action.RECOMMENDATIONS: Rule(A, N, N, OWN),
    Action.PAIR_FIT: Rule(A, N, OWN, OWN),  # own: the client's job / the person themselves
    Action.SEARCH_TALENT: Rule(A, N, A, N),
    Action.SEARCH_JOBS: Rule(A, A, A, A),
    Action.DECISION_READ: Rule(A, A, OWN, OWN, private=True),  # own: served to this user
    Action.EVENT_OUTCOME: Rule(A, N, OWN, N),  # own: an event on the client's own job
    Action.EVENT_VIEW: Rule(A, N, OWN, OWN),  # own: a request id served to this user
    Action.IMPORT: Rule(A, N, N, N),
    Action.COMPANION_OPEN: Rule(A, N, OWN, OWN),  # own: the client's job / the person's profile
    Action.COMPANION_READ: Rule(A, OWN, OWN, OWN, private=True),  # own: opened by this user
    Action.COMPANION_SAY: Rule(OWN, OWN, OWN, OWN, private=True),  # nobody speaks as another
    Action.USERS: Rule(A, N, N, N),
    Action.PERSON_EXPORT: Rule(A, N, OWN, OWN),  # own: the client or freelancer one is bound to
    # own: a freelancer's own profile. A client is erased by an operator: it takes every
    # colleague's user and every job with it.
    Action.PERSON_ERASE: Rule(A, N, N, OWN),
    Action.PURGE: Rule(A, N, N, N),
    # aggregates per group over everyone served: for auditors and operators only
    Action.AUDIT_REPORT: Rule(A, A, N, N),
    Action.MODEL_CARD: Rule(A, A, N, N),  # also the models list and its change record
    Action.MODELS_MANAGE: Rule(A, N, N, N),  # promote and roll back
}


#: Each action as a person would say it ("you can't ..."), for refusals shown to people.
DOING: dict[Action, str] = {
    Action.HEALTH: "read the service's health",
    Action.HEALTH_DETAILS: "see what the service holds (counts, models)",
    Action.JOBS_READ: "read job posts",
    Action.JOB_WRITE: "post, edit or close jobs",
    Action.JOB_MATCHES: "see a job's ranked matches",
    Action.JOB_APPLICANTS: "see a job's applicants",
    Action.PROFILES_READ: "read profiles",
    Action.PROFILE_WRITE: "edit a freelancer's profile or send proposals",
    Action.RECOMMENDATIONS: "see the jobs recommended to a freelancer",
    Action.PAIR_FIT: "see how a freelancer fits a job",
    Action.SEARCH_TALENT: "search for talent",
    Action.SEARCH_JOBS: "search jobs",
    Action.DECISION_READ: "read the decision log",
    Action.EVENT_OUTCOME: "record decisions about candidates (shortlist, invite, hire ...)",
    Action.EVENT_VIEW: "record views of a ranking",
    Action.IMPORT: "import data",
    Action.COMPANION_OPEN: "open the assistant here",
    Action.COMPANION_READ: "read this assistant conversation",
    Action.COMPANION_SAY: "speak in someone else's assistant conversation",
    Action.USERS: "manage users and tokens",
    Action.PERSON_EXPORT: "export a person's data",
    Action.PERSON_ERASE: "erase a person's data",
    Action.PURGE: "purge old data",
    Action.AUDIT_REPORT: "read the fairness audit",
    Action.MODEL_CARD: "read the models and their cards",
    Action.MODELS_MANAGE: "promote or roll back models",
}
#: A private action's refusal where the object named is public and only what hangs off it is
#: private: a job is readable by anyone signed in, so "no job here" would be false; what is not
#: shown is its applicants, and the refusal says that, whether or not it has any.
_HIDDEN: dict[Action, str] = {
    Action.JOB_APPLICANTS: (
        "no applicants of {what} to show you: a job's applicants are shown only to its own "
        "client (and operators)"
    ),
}
#: What "their own" means per role, for :func:`who_may`.
_OWN = {"client": "clients, for their own jobs", "freelancer": "freelancers, for themselves"}
#: The same, said to the person refused ("... only for yourself"), where an action's "own"
#: is not the role's usual one (a client exports its own client's data, not a job's).
_YOURS: dict[Role, str] = {"client": "your own jobs", "freelancer": "yourself"}
_YOURS_FOR: dict[tuple[Action, Role], str] = {
    (Action.EVENT_VIEW, "client"): "rankings shown to you",
    (Action.EVENT_VIEW, "freelancer"): "rankings shown to you",
    (Action.PERSON_EXPORT, "client"): "your own client's data",
    (Action.COMPANION_OPEN, "freelancer"): "your own profile",
}


def who_may(action: Action) -> str:
    """Who may do ``action``, in words ("operators and auditors"; "nobody" if none)."""
    rule = RULES[action]
    roles: tuple[Role, ...] = ("operator", "auditor", "client", "freelancer")
    names = [f"{r}s" for r in roles if rule.scope(r) is Scope.ANY]
    names += [_OWN.get(r, f"{r}s, for their own") for r in roles if rule.scope(r) is Scope.OWN]
    if not names:
        return "nobody"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def refusal_in_words(who: Identity, action: Action, what: str = "") -> str:
    """A refusal as a person reads it: what they can't do, why, and who can.

    Every face shows this text (the CLI's error line, the API's ``detail``, the web's
    permission page, the companion's reply), so none of them names an internal action.
    A role that may do the action on its own objects only is told so ("only for
    yourself, not for profile 'f2'"), not that it can't do it at all.
    """
    role = who.role
    doing = DOING[action]
    if RULES[action].scope(role) is Scope.OWN:
        yours = _YOURS_FOR.get((action, role), _YOURS.get(role, "your own"))
        refused = f"you can {doing} only for {yours}" + (f", not for {what}" if what else "")
    else:
        refused = f"you can't {doing}"
    return f"As {_article(role)} {role} {refused}. Who can: {who_may(action)}."


def allowed(who: Identity, action: Action, *, owns: bool = False) -> bool:
    """Whether ``who`` may do ``action`` (on an object it owns, if ``owns``)."""
    scope = RULES[action].scope(who.role)
    return scope is Scope.ANY or (scope is Scope.OWN and owns)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def decide(who: Identity, action: Action, *, owns: bool = False, what: str = "") -> None:
    """Refuse unless ``who`` may do ``action``.

    A private action's refusal of someone else's object reads as not found (module docstring).
    """
    if allowed(who, action, owns=owns):
        return
    rule = RULES[action]
    if rule.private and rule.scope(who.role) is Scope.OWN:
        hidden = _HIDDEN.get(action, "no {what} here")
        raise NotFoundError(hidden.format(what=what or action.value.split(".")[0]))
    raise PermissionDeniedError(refusal_in_words(who, action, what), action=action.value)
