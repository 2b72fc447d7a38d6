"""Parameters of the sample-marketplace generator, held in code.

Calibrated by hand against public Upwork job metadata (category mix, hourly
and fixed budget quartiles per category, experience tiers, durations, client
countries). The data files themselves are never read at run time.
"""

from __future__ import annotations

from typing import Final

#: Category -> (share of jobs, median hourly budget USD, median fixed budget USD, role noun).
#: A fixed job's price is its stated hours times the hourly median (see FIXED_RATE_SIGMA);
#: the fixed median is kept as calibrated, for reference, and no longer sets prices.
CATEGORIES: Final[dict[str, tuple[float, float, float, str]]] = {
    "Web, Mobile & Software Dev": (0.25, 24.0, 120.0, "Developer"),
    "Design & Creative": (0.18, 22.0, 60.0, "Designer"),
    "Sales & Marketing": (0.15, 17.0, 150.0, "Marketer"),
    "Admin Support": (0.08, 10.0, 50.0, "Virtual Assistant"),
    "Writing": (0.08, 24.0, 100.0, "Writer"),
    "Data Science & Analytics": (0.05, 30.0, 80.0, "Data Analyst"),
    "IT & Networking": (0.05, 35.0, 100.0, "Engineer"),
    "Engineering & Architecture": (0.05, 25.0, 110.0, "Engineer"),
    "Accounting & Consulting": (0.04, 22.0, 110.0, "Consultant"),
    "Translation": (0.03, 17.0, 35.0, "Translator"),
    "Customer Service": (0.02, 9.0, 120.0, "Support Specialist"),
    "Legal": (0.02, 50.0, 150.0, "Legal Consultant"),
}

#: Freelancer countries: (code, share, rate multiplier, timezone, native language).
FREELANCER_COUNTRIES: Final[list[tuple[str, float, float, str, str]]] = [
    ("IN", 0.20, 0.65, "Asia/Kolkata", "hi"),
    ("US", 0.12, 1.9, "America/New_York", "en"),
    ("PK", 0.08, 0.6, "Asia/Karachi", "ur"),
    ("PH", 0.08, 0.55, "Asia/Manila", "tl"),
    ("UA", 0.06, 0.95, "Europe/Kyiv", "uk"),
    ("BD", 0.05, 0.55, "Asia/Dhaka", "bn"),
    ("GB", 0.05, 1.7, "Europe/London", "en"),
    ("NG", 0.04, 0.6, "Africa/Lagos", "en"),
    ("EG", 0.03, 0.6, "Africa/Cairo", "ar"),
    ("KE", 0.03, 0.6, "Africa/Nairobi", "sw"),
    ("BR", 0.04, 0.9, "America/Sao_Paulo", "pt"),
    ("DE", 0.03, 1.6, "Europe/Berlin", "de"),
    ("PL", 0.03, 1.1, "Europe/Warsaw", "pl"),
    ("CA", 0.03, 1.7, "America/Toronto", "en"),
    ("RS", 0.02, 1.0, "Europe/Belgrade", "sr"),
    ("ES", 0.02, 1.2, "Europe/Madrid", "es"),
    ("FR", 0.02, 1.4, "Europe/Paris", "fr"),
    ("AR", 0.02, 0.85, "America/Argentina/Buenos_Aires", "es"),
    ("VN", 0.02, 0.6, "Asia/Ho_Chi_Minh", "vi"),
    ("ID", 0.02, 0.55, "Asia/Jakarta", "id"),
    ("MX", 0.01, 0.9, "America/Mexico_City", "es"),
]

#: Client countries: (code, share, timezone).
CLIENT_COUNTRIES: Final[list[tuple[str, float, str]]] = [
    ("US", 0.45, "America/New_York"),
    ("GB", 0.09, "Europe/London"),
    ("CA", 0.06, "America/Toronto"),
    ("AU", 0.05, "Australia/Sydney"),
    ("IN", 0.05, "Asia/Kolkata"),
    ("DE", 0.04, "Europe/Berlin"),
    ("AE", 0.03, "Asia/Dubai"),
    ("NL", 0.03, "Europe/Amsterdam"),
    ("FR", 0.03, "Europe/Paris"),
    ("SG", 0.02, "Asia/Singapore"),
    ("IL", 0.02, "Asia/Jerusalem"),
    ("CH", 0.02, "Europe/Zurich"),
    ("SE", 0.02, "Europe/Stockholm"),
    ("PK", 0.02, "Asia/Karachi"),
    ("US", 0.07, "America/Los_Angeles"),
]

LANGUAGE_NAMES: Final[dict[str, str]] = {
    "en": "English", "hi": "Hindi", "ur": "Urdu", "tl": "Filipino", "uk": "Ukrainian",
    "bn": "Bengali", "ar": "Arabic", "sw": "Swahili", "pt": "Portuguese", "de": "German",
    "pl": "Polish", "sr": "Serbian", "es": "Spanish", "fr": "French", "vi": "Vietnamese",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "nl": "Dutch",
}  # fmt: skip

#: Job experience tiers and their shares; freelancer years per tier.
EXPERIENCE_SHARES: Final[dict[str, float]] = {"entry": 0.15, "intermediate": 0.53, "expert": 0.32}
LEVEL_BUDGET_MULT: Final[dict[str, float]] = {"entry": 0.6, "intermediate": 1.0, "expert": 1.7}

BUDGET_TYPE_SHARES: Final[dict[str, float]] = {"hourly": 0.42, "fixed": 0.45, "none": 0.13}
#: A fixed price is hours x the category's hourly median x lognormal(0, FIXED_RATE_SIGMA): the
#: spread of hourly budgets, so the price per stated hour is as plausible as an hourly post.
#: (Fixed medians of $35-150 against stated hours of 20-1,200 put 85% of fixed jobs under $5/h;
#: real fixed posts state no hours at all, but these do, so the price must agree with them.)
FIXED_RATE_SIGMA: Final = 0.35
#: The sigma the fixed-price draw has always had (kept, so the random stream stays the same).
FIXED_DRAW_SIGMA: Final = 0.9
#: Durations (weeks) and their shares: <1 month, 1-3 months, 3-6 months, >6 months.
DURATIONS: Final[list[tuple[float, float]]] = [(2.0, 0.45), (8.0, 0.25), (18.0, 0.11), (30.0, 0.19)]
HOURS_PER_WEEK: Final[list[tuple[float, float]]] = [(10.0, 0.35), (20.0, 0.35), (40.0, 0.30)]

INDUSTRIES: Final[list[str]] = [
    "Tech & IT", "Retail & Consumer Goods", "Health & Fitness", "Real Estate", "Education",
    "Finance & Accounting", "Media & Entertainment", "Marketing & Advertising", "Manufacturing",
    "Nonprofit", "Travel & Hospitality", "Legal", "Food & Beverage", "Fashion & Beauty",
]  # fmt: skip
COMPANY_SIZES: Final[list[str]] = ["1", "2-9", "10-99", "100-999", "1000+"]

NEWCOMER_SHARE: Final = 0.18
UNAVAILABLE_SHARE: Final = 0.1
NO_TRAINING_CONSENT_SHARE: Final = 0.05
ALIAS_SHARE: Final = 0.25
TYPO_SHARE: Final = 0.05
PII_IN_DESCRIPTION_SHARE: Final = 0.03
#: Share of job posts with one extra practical note (see ``generator_text.NOTES``).
NOTE_SHARE: Final = 0.01
#: Share of jobs whose skills list is left empty (skills only in the description).
NO_SKILLS_LIST_SHARE: Final = 0.1

#: Applicants per job: lognormal (log median, sigma). Median 13 with a long tail matches the
#: public proposal tiers (<5: 19%, 5-10: 18%, 10-15: 15%, 15-20: 11%, 20-50: 27%, 50+: 10%).
APPLICANTS: Final = (2.565, 1.05)
#: A client shortlists a third of the applicants, but never more than this many.
MAX_SHORTLIST: Final = 8
