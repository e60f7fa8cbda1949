"""What readers type into the site search, and the pages they want to see first.

Written before any tuning of the search (issue 18), from the seed article's ideas and from what
learners type, and kept apart from the code that is tuned against it. Each query lists the pages
that would satisfy the reader (paths without suffix, relative to the site root); a query counts
as found in the top three when any of them is in the first three results, and the reciprocal
rank is that of the first of them.

Kinds: ``article`` (the article's own words for one of its ideas), ``reader`` (synonyms and the
reader's own words), ``spelling`` (both spellings), ``short`` (short words such as "in", "on",
"up"), ``partial`` (a word being typed), ``typo`` (one letter wrong), ``question`` (a question),
``term`` (a glossary term), ``hub`` (a page by its name), ``exercise`` (something only an
exercise or a scenario talks about).
"""

from __future__ import annotations

from typing import NamedTuple


class Query(NamedTuple):
    text: str
    wanted: tuple[str, ...]
    kind: str


LEADER = "traits/leader"
LEARNING = "traits/learning"
DETERMINED = "traits/determined"
COLLABORATIVE = "traits/collaborative"
ANALYTICAL = "traits/analytical"
CRITICAL = "traits/critical-thinker"
CONSULTATIVE = "traits/consultative"
PROJECT = "traits/project-manager"
GLOSSARY = "reference/glossary"

QUERIES: tuple[Query, ...] = (
    # The article's ideas, in its words: each belongs to one trait.
    Query("credibility responsiveness and ethics", (LEADER,), "article"),
    Query("earn trust from senior management", (LEADER,), "article"),
    Query("understand the risks of the business", (LEADER,), "article"),
    Query("actionable insights for leadership", (LEADER, CONSULTATIVE), "article"),
    Query("latest trends and technologies", (LEARNING,), "article"),
    Query("professional growth", (LEARNING,), "article"),
    Query("appetite for knowledge", (LEARNING,), "article"),
    Query("ever changing threat landscape", (DETERMINED, LEARNING, GLOSSARY), "article"),
    Query("see a solution through to completion", (DETERMINED,), "article"),
    Query("difficult first job", (DETERMINED,), "article"),
    Query("shared responsibility", (COLLABORATIVE,), "article"),
    Query("culture of cybersecurity", (COLLABORATIVE, GLOSSARY), "article"),
    Query("policies followed not just written", (COLLABORATIVE,), "article"),
    Query("gain buy-in for security initiatives", (COLLABORATIVE,), "article"),
    Query("how incidents occur", (ANALYTICAL,), "article"),
    Query("attack surfaces prone to exploitation", (ANALYTICAL, GLOSSARY), "article"),
    Query("intuition", (ANALYTICAL,), "article"),
    Query("anticipate how hackers exploit the network", (CRITICAL,), "article"),
    Query("think like a black hat", (CRITICAL,), "article"),
    Query("find vulnerabilities ahead of time", (CRITICAL,), "article"),
    Query("interface with the C-level and end users", (CONSULTATIVE,), "article"),
    Query("see the big picture", (CONSULTATIVE,), "article"),
    Query("key performance indicators", (CONSULTATIVE, GLOSSARY), "article"),
    Query("prevent detect and respond", (PROJECT,), "article"),
    Query("one and done", (PROJECT,), "article"),
    Query("defense in depth strategy", (PROJECT, GLOSSARY), "article"),
    # The reader's own words.
    Query("leadership", (LEADER,), "reader"),
    Query("teamwork", (COLLABORATIVE,), "reader"),
    Query("perseverance", (DETERMINED,), "reader"),
    Query("grit", (DETERMINED,), "reader"),
    Query("resilience", (DETERMINED,), "reader"),
    Query("curiosity", (ANALYTICAL, LEARNING), "reader"),
    Query("inquisitive", (ANALYTICAL,), "reader"),
    Query("continuous learning", (LEARNING,), "reader"),
    Query("upskilling", (LEARNING,), "reader"),
    Query("certifications", (LEARNING,), "reader"),
    Query("mentoring", (LEARNING, LEADER), "reader"),
    Query("stakeholder management", (CONSULTATIVE, GLOSSARY), "reader"),
    Query("communicating with executives", (LEADER, CONSULTATIVE), "reader"),
    Query("board reporting", (LEADER, CONSULTATIVE), "reader"),
    Query("security metrics", (CONSULTATIVE, GLOSSARY), "reader"),
    Query("red team mindset", (CRITICAL,), "reader"),
    Query("adversarial thinking", (CRITICAL,), "reader"),
    Query("incident investigation", (ANALYTICAL,), "reader"),
    Query("project planning", (PROJECT,), "reader"),
    Query("influence without authority", (COLLABORATIVE, CONSULTATIVE), "reader"),
    # Both spellings.
    Query("threat modeling", (CRITICAL, GLOSSARY), "spelling"),
    Query("threat modelling", (CRITICAL, GLOSSARY), "spelling"),
    Query("security program", (PROJECT,), "spelling"),
    Query("security programme", (PROJECT,), "spelling"),
    Query("organization wide security", (COLLABORATIVE,), "spelling"),
    Query("defence in depth", (PROJECT, GLOSSARY), "spelling"),
    # Short words that must not act as prefixes of every word.
    Query("sign in alerts", (ANALYTICAL, LEARNING, COLLABORATIVE), "short"),
    Query("trust in data", (ANALYTICAL, CRITICAL), "short"),
    Query("buy in", (COLLABORATIVE, GLOSSARY), "short"),
    Query("follow up on a phishing test", (COLLABORATIVE,), "short"),
    Query("up to date with threats", (LEARNING,), "short"),
    Query("risk of the business", (LEADER,), "short"),
    Query("on call at night", (COLLABORATIVE, DETERMINED), "short"),
    Query("speak up in a meeting", (LEADER, CRITICAL), "short"),
    # Words being typed.
    Query("analy", (ANALYTICAL,), "partial"),
    Query("collab", (COLLABORATIVE,), "partial"),
    Query("consult", (CONSULTATIVE,), "partial"),
    Query("determin", (DETERMINED,), "partial"),
    Query("threat mod", (CRITICAL, GLOSSARY), "partial"),
    # One letter wrong.
    Query("leadersip", (LEADER,), "typo"),
    Query("colaborative", (COLLABORATIVE,), "typo"),
    Query("analitical", (ANALYTICAL,), "typo"),
    Query("perseverence", (DETERMINED,), "typo"),
    Query("stakholder", (CONSULTATIVE, GLOSSARY), "typo"),
    # Questions.
    Query("how do I get buy-in from other teams", (COLLABORATIVE,), "question"),
    Query("what is a zero day", (GLOSSARY,), "question"),
    Query("how to explain risk to the board", (LEADER, CONSULTATIVE), "question"),
    Query("how do I keep learning in security", (LEARNING,), "question"),
    Query("what makes a good security leader", (LEADER,), "question"),
    Query("how to think like an attacker", (CRITICAL,), "question"),
    # Glossary terms.
    Query("least privilege", (GLOSSARY, COLLABORATIVE), "term"),
    Query("tabletop exercise", (GLOSSARY, LEADER), "term"),
    Query("risk appetite", (GLOSSARY, LEADER), "term"),
    Query("false positive", (GLOSSARY, ANALYTICAL), "term"),
    Query("indicator of compromise", (GLOSSARY, ANALYTICAL), "term"),
    Query("social engineering", (GLOSSARY,), "term"),
    Query("residual risk", (GLOSSARY,), "term"),
    Query("root cause analysis", (ANALYTICAL, GLOSSARY), "term"),
    # Pages by name.
    Query("answer key", ("reference/answer-key",), "hub"),
    Query("glossary", (GLOSSARY,), "hub"),
    Query("sources", ("reference/sources",), "hub"),
    Query("how to use this site", ("how-to-use",), "hub"),
    # What only an exercise or a scenario talks about.
    Query("phishing simulation follow up", (COLLABORATIVE,), "exercise"),
    Query("MFA fatigue", (CONSULTATIVE, DETERMINED, LEARNING, PROJECT), "exercise"),
    Query("passkeys", (DETERMINED, CONSULTATIVE, PROJECT), "exercise"),
    Query("SQL injection", (DETERMINED,), "exercise"),
    Query("leaver accounts", (COLLABORATIVE,), "exercise"),
    Query("career changer", (LEARNING,), "exercise"),
    Query("CVSS base score", (CRITICAL, ANALYTICAL, CONSULTATIVE, GLOSSARY), "exercise"),
)
