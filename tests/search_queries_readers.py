"""A held-apart set of reader-intent queries for the site search (issue 32).

Written before any change to the search for issue 32, from the catalogue of edition 3.0
(catalogue/catalogue.yml, catalogue/traits/*.yml), the hand-written pages (docs/*.md) and the
page plan (generator/traitbook/_internal/plan.py), and kept apart from the code that is tuned:
these queries measure the tuning, they are not tuned against. They do not repeat the queries of
tests/search_queries.py (the set of issue 18), and they were chosen as what learners type, not
for what the search is expected to find.

Each query lists every page that would satisfy the reader, as paths without suffix relative to
the site root and without a trailing slash, as ``tests.browser.normalise`` gives them: a trait
is "traits/<id>", the overview of all traits "traits", a category "categories/<id>", the paths
overview "paths", one path "paths/<path-id>", the self-assessment "self-assessment", the reference
pages "reference/glossary", "reference/answer-key", "reference/crosswalk" and
"reference/sources", the hand-written pages "how-to-use" and "about", and the home page "".
A query counts as found in the top three when any of them is in the first three results, and
the reciprocal rank is that of the first of them.

Kinds:

- ``question``: a question as a learner types it.
- ``page``: a navigation page (self-assessment, paths, answer key, crosswalk, glossary, sources,
  how to use, about, overviews) by its name or the obvious words for it.
- ``wordform``: a form of a word that the page does not use (a verb where the page has the noun,
  plural or singular, -ing and -ed forms, an agent noun).
- ``typo``: one or two letters wrong as people really mistype (transposition, missing or
  doubled letter, a common misspelling).
- ``topic``: a topic new in edition 3.0 in the reader's own words (notification clocks, deepfake
  payment fraud, insider threat, OAuth tokens and SaaS suppliers, AI assistants, codes of ethics,
  the law on testing, task rubrics).
"""

from __future__ import annotations

from tests.search_queries import (
    ANALYTICAL,
    COLLABORATIVE,
    CONSULTATIVE,
    CRITICAL,
    DETERMINED,
    GLOSSARY,
    LEADER,
    LEARNING,
    PROJECT,
    Query,
)

HOME = ""
HOW_TO_USE = "how-to-use"
ABOUT = "about"
ALL_TRAITS = "traits"
PEOPLE = "categories/people"
SELF_ASSESSMENT = "self-assessment"
PATHS = "paths"
SOC_PATH = "paths/incident-responder"
PARTNER_PATH = "paths/business-partner"
LEADER_PATH = "paths/security-leader"
PENTEST_PATH = "paths/penetration-tester"
ANSWER_KEY = "reference/answer-key"
CROSSWALK = "reference/crosswalk"
SOURCES = "reference/sources"

#: Every trait page: each shows its task with the criteria (meets, exceeds) in its answer.
TRAITS = (ANALYTICAL, COLLABORATIVE, CONSULTATIVE, CRITICAL, DETERMINED, LEADER, LEARNING, PROJECT)

QUERIES_READERS: tuple[Query, ...] = (
    # Questions a learner types.
    Query("how do I rate myself", (SELF_ASSESSMENT, HOW_TO_USE), "question"),
    Query("what should I learn first for a soc job", (SOC_PATH, PATHS), "question"),
    Query("how long do I have to report a data breach", (LEADER, GLOSSARY), "question"),
    Query("what is a batna", (CONSULTATIVE,), "question"),
    Query("what do I do after paying a fake invoice", (COLLABORATIVE,), "question"),
    Query("can I paste client logs into chatgpt", (LEARNING, ANALYTICAL), "question"),
    Query("is hacking back legal", (LEADER,), "question"),
    Query("how do I write an escalation email", (DETERMINED,), "question"),
    Query("how do I avoid burnout on night shifts", (DETERMINED,), "question"),
    Query("how do I know our backups will actually work", (PROJECT,), "question"),
    Query("what is a benign true positive", (GLOSSARY, ANALYTICAL), "question"),
    Query("how do I get into cyber security with no experience", (LEARNING, DETERMINED, SOC_PATH), "question"),
    Query("how do I admit a mistake to my manager", (LEADER,), "question"),
    Query("what questions should I ask before recommending a control", (CONSULTATIVE,), "question"),
    Query("which certs should I get", (LEARNING,), "question"),
    Query("what is a raci matrix", (COLLABORATIVE,), "question"),
    Query("how do I roll out dmarc without breaking email", (PROJECT,), "question"),
    Query("what is the difference between a pen test and a red team", (GLOSSARY,), "question"),
    # Navigation pages by their name and the obvious words for them.
    Query("rate myself", (SELF_ASSESSMENT,), "page"),
    Query("self assessment", (SELF_ASSESSMENT,), "page"),
    Query("skills check", (SELF_ASSESSMENT,), "page"),
    Query("career paths", (PATHS,), "page"),
    Query("soc analyst career path", (SOC_PATH, PATHS), "page"),
    Query("becoming a ciso", (LEADER_PATH, PATHS), "page"),
    Query("red team career", (PENTEST_PATH, PATHS), "page"),
    Query("security architect path", (PARTNER_PATH, PATHS), "page"),
    Query("answers to the exercises", (ANSWER_KEY,), "page"),
    Query("solutions", (ANSWER_KEY,), "page"),
    Query("nice framework mapping", (CROSSWALK,), "page"),
    Query("sfia mapping", (CROSSWALK,), "page"),
    Query("definitions", (GLOSSARY,), "page"),
    Query("bibliography", (SOURCES,), "page"),
    Query("list of references", (SOURCES,), "page"),
    Query("getting started", (HOW_TO_USE, HOME), "page"),
    Query("study tips", (HOW_TO_USE,), "page"),
    Query("who made this course", (ABOUT,), "page"),
    Query("list of soft skills", (ALL_TRAITS, HOME), "page"),
    Query("people skills", (PEOPLE, COLLABORATIVE, CONSULTATIVE), "page"),
    # Word forms the pages do not use (the page's form in the comment).
    Query("how to collaborate with developers", (COLLABORATIVE,), "wordform"),  # collaboration
    Query("cooperate with other departments", (COLLABORATIVE,), "wordform"),  # cooperation
    Query("supplier contract negotiations", (CONSULTATIVE,), "wordform"),  # negotiation
    Query("be a better negotiator", (CONSULTATIVE,), "wordform"),  # negotiating
    Query("burned out analyst", (DETERMINED,), "wordform"),  # burnout, burning out
    Query("stubborn or persistent", (DETERMINED,), "wordform"),  # stubbornness, persistence
    Query("persevere at work", (DETERMINED,), "wordform"),  # perseverance
    Query("how hackers think", (CRITICAL,), "wordform"),  # hacker
    Query("layering defences", (PROJECT, GLOSSARY), "wordform"),  # layers, layered
    Query("prioritizing vulnerabilities", (CRITICAL, ANALYTICAL, GLOSSARY), "wordform"),  # priority
    Query("when must the regulator be notified", (LEADER, GLOSSARY), "wordform"),  # notify, notification
    Query("upskill", (LEARNING,), "wordform"),  # upskilling
    Query("self-assessing my skills", (SELF_ASSESSMENT,), "wordform"),  # self-assessment
    Query("getting mentored", (LEARNING,), "wordform"),  # mentoring
    # Typos as they are typed.
    Query("negociation", (CONSULTATIVE,), "typo"),
    Query("ransomeware backups", (PROJECT, LEADER), "typo"),
    Query("self assesment", (SELF_ASSESSMENT,), "typo"),
    Query("glosary", (GLOSSARY,), "typo"),
    Query("phising email", (GLOSSARY,), "typo"),
    Query("persistance", (DETERMINED,), "typo"),
    Query("consultitive", (CONSULTATIVE,), "typo"),
    Query("critcal thinking", (CRITICAL,), "typo"),
    Query("insder threat", (GLOSSARY, ANALYTICAL), "typo"),
    Query("buisness impact", (GLOSSARY, CONSULTATIVE, LEADER), "typo"),
    Query("anwser key", (ANSWER_KEY,), "typo"),
    Query("continuous learnign", (LEARNING,), "typo"),
    Query("threat modleing", (CRITICAL, GLOSSARY), "typo"),
    Query("project managment", (PROJECT,), "typo"),
    # Edition 3.0 topics in the reader's own words.
    Query("gdpr 72 hour deadline", (LEADER, GLOSSARY), "topic"),
    Query("nis2 early warning 24 hours", (LEADER, GLOSSARY), "topic"),
    Query("sec disclosure four business days", (LEADER, GLOSSARY), "topic"),
    Query("dora deadline for banks", (LEADER, GLOSSARY), "topic"),
    Query("deep fake video call from the cfo", (COLLABORATIVE, GLOSSARY), "topic"),
    Query("cloned voice asking to change bank details", (COLLABORATIVE, GLOSSARY), "topic"),
    Query("employee copying files before leaving", (ANALYTICAL, GLOSSARY), "topic"),
    Query("stolen oauth token saas", (CRITICAL, GLOSSARY), "topic"),
    Query("third party apps connected to our crm", (CRITICAL, ANALYTICAL), "topic"),
    Query("ai summary of alerts got it wrong", (ANALYTICAL,), "topic"),
    Query("ai generated phishing emails", (CRITICAL, LEARNING), "topic"),
    Query("cissp code of ethics", (LEADER,), "topic"),
    Query("is port scanning illegal in the uk", (LEADER, LEARNING), "topic"),
    Query("rubric for the tasks", (ANSWER_KEY, HOW_TO_USE, *TRAITS), "topic"),
    Query("marking criteria for the escalation email", (DETERMINED, ANSWER_KEY), "topic"),
)
