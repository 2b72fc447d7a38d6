"""Sentence templates of the sample-marketplace generator (titles, overviews, posts, letters)."""

from __future__ import annotations

import random
from typing import Final

from tandem.text.roles import headline

__all__ = ["headline"]

SENIORITY: Final = ["Junior", "", "", "Senior", "Lead", "Certified", "Experienced", "Expert"]

PROJECTS: Final[dict[str, list[str]]] = {
    "Web, Mobile & Software Dev": ["a SaaS dashboard", "our e-commerce store", "a booking app",
        "an internal CRM", "a marketplace MVP", "a mobile app for our gym", "an API for partners",
        "our company website", "a data import tool", "a browser extension"],
    "Design & Creative": ["our brand refresh", "a product launch video", "a children's book",
        "our packaging line", "a mobile app redesign", "a YouTube channel", "a pitch deck",
        "an album cover", "a trade show booth"],
    "Sales & Marketing": ["a product launch", "our Shopify store", "a B2B SaaS pipeline",
        "a local dental clinic", "a real estate agency", "a new podcast", "a fitness brand"],
    "Admin Support": ["a busy founder", "our property management team", "a small law firm",
        "an online course business", "a recruitment agency", "an e-commerce back office"],
    "Writing": ["a fintech blog", "a travel website", "a health newsletter", "our SaaS docs",
        "a memoir", "a grant application", "product pages"],
    "Data Science & Analytics": ["a churn prediction model", "sales dashboards",
        "a demand forecast", "a recommendation engine", "survey results", "marketing attribution"],
    "IT & Networking": ["our AWS migration", "an office network", "a Kubernetes cluster",
        "a security audit", "CI/CD pipelines", "Microsoft 365 tenant setup"],
    "Engineering & Architecture": ["a house extension", "a consumer gadget", "an IoT sensor board",
        "a commercial fit-out", "a solar installation", "an injection-molded part"],
    "Accounting & Consulting": ["a small agency's books", "a startup's fundraising",
        "US tax returns", "a retail chain's budget", "a market entry plan"],
    "Translation": ["a mobile game", "legal contracts", "a product catalogue", "a website",
        "medical leaflets", "marketing emails"],
    "Customer Service": ["a Shopify store", "a SaaS help desk", "a travel agency",
        "a subscription box", "an online school"],
    "Legal": ["a startup", "a software license", "an e-commerce site", "a real estate deal",
        "a trademark filing", "an employment dispute"],
}  # fmt: skip

OPENERS: Final = [
    "We are looking for {a_role} to help with {project}.",
    "I need an experienced {role} for {project}.",
    "Our team is hiring {a_role} to work on {project}.",
    "Looking for a reliable {role} to support {project}.",
]
SKILL_LINES: Final = [
    "You should be comfortable with {skills}.",
    "Must have solid experience with {skills}.",
    "Key skills: {skills}.",
    "The work involves {skills}.",
]
CLOSERS: Final = [
    "Please share examples of similar work.",
    "Tell us about a project like this you delivered.",
    "Start your proposal with your favourite tool for this.",
    "Long-term work is possible for the right person.",
    "",
]
#: Practical notes a few posts add. (Prompt-injection texts live in the tests that need
#: them, not in the demo market people browse.)
NOTES: Final = [
    "Timezone overlap with our mornings would help.",
    "We can share a short brief and examples once we talk.",
]
OVERVIEW: Final = [
    "I am {a_title} with {years} years of experience in {skills}.",
    "I help clients with {skills}, and I care about clear communication and deadlines.",
    "Over {years} years I have delivered projects using {skills}.",
    "My toolbox: {skills}. I also enjoy {extra}.",
    "Previously I worked on {project}.",
]
LETTERS: Final = [
    "Hi! I have {years} years of experience and have worked with {skills}. {closing}",
    "Hello, your project fits my background in {skills}. {closing}",
    "I read your post carefully. I can help with {skills}. {closing}",
]
LETTER_CLOSINGS: Final = [
    "I can start this week.",
    "Happy to jump on a call to discuss.",
    "Let me know if you have questions.",
    "Looking forward to working with you.",
]


def join_skills(skills: list[str]) -> str:
    """``a, b and c``."""
    if len(skills) <= 1:
        return "".join(skills)
    return ", ".join(skills[:-1]) + " and " + skills[-1]


def fill(rng: random.Random, options: list[str], **values: object) -> str:
    """One randomly chosen template, filled."""
    return rng.choice(options).format(**values)


# market styles (see generator_style): how a post marks required and nice-to-have skills --------
REQUIRED_LINES: Final[dict[str, list[str]]] = {
    "must_have": ["Must have: {skills}.", "Must-have skills: {skills}."],
    "required_colon": ["Required: {skills}.", "Required skills: {skills}."],
    "prose": [
        "You need solid experience with {skills}.",
        "Strong {skills} skills are essential.",
        "We require someone fluent in {skills}.",
    ],
    "field_only": ["The work involves {skills}.", "The project touches {skills}."],
}
NICE_LINES: Final[dict[str, list[str]]] = {
    "must_have": ["Nice to have: {skills}.", "Nice-to-have: {skills}."],
    "required_colon": ["Preferred: {skills}.", "Optional: {skills}."],
    "prose": [
        "Experience with {skills} is a plus.",
        "Ideally you also know {skills}.",
        "Familiarity with {skills} would be a bonus.",
    ],
}
BULLET_HEADERS: Final = (
    ["Requirements:", "Skills required:", "What you need:"],
    ["Bonus:", "Preferred qualifications:", "Nice to have:"],
)
BULLET_ITEMS: Final = ["{skill}", "Experience with {skill}", "Solid {skill} skills"]
BULLET_MARKS: Final = ["- ", "• ", "* "]


def skill_block(rng: random.Random, wording: str, required: list[str], nice: list[str]) -> str:
    """The part of a post that names its skills, in one market wording (not ``classic``)."""
    if wording == "bullets":
        mark = rng.choice(BULLET_MARKS)

        def items(header: str, skills: list[str]) -> str:
            rows = [mark + rng.choice(BULLET_ITEMS).format(skill=s) for s in skills]
            return "\n".join([header, *rows])

        parts = [items(rng.choice(BULLET_HEADERS[0]), required)]
        if nice:
            parts.append(items(rng.choice(BULLET_HEADERS[1]), nice))
        return "\n\n" + "\n\n".join(parts) + "\n\n"
    if wording == "field_only":  # nothing marked: the skills field says what is required
        return fill(rng, REQUIRED_LINES[wording], skills=join_skills(required + nice))
    line = fill(rng, REQUIRED_LINES[wording], skills=join_skills(required))
    if nice:
        line += " " + fill(rng, NICE_LINES[wording], skills=join_skills(nice))
    return line


#: Letters that address the job (its project) and letters that could go to any job.
TAILORED_LETTERS: Final = [
    "I read your post about {project}. I would start with {first} and have done similar "
    "work with {skills}. {closing}",
    "For {project} I would use {skills}; I delivered a project like it last year. {closing}",
    "Your plan for {project} makes sense to me: {skills} are my daily tools. {closing}",
]
GENERIC_LETTERS: Final = [
    "Dear hiring manager, I am a hard-working professional and I deliver quality work on "
    "time. {closing}",
    "Hello, I am interested in this job. I have {years} years of experience. {closing}",
    "Hi, I can do this job. Please check my profile. {closing}",
]


def addressed(project: str) -> str:
    """A project as a letter names it back: "our shop" -> "your shop"."""
    return "your " + project[4:] if project.startswith("our ") else project
