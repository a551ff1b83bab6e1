"""The five seed projects as plain data, one module per purpose.

Every fact here comes from the seed texts (public web pages of the projects and
their partners). Where the seeds are silent (exact days, times, budgets, due dates,
deliverable codes, an organisation's city or country) the value is plausible and the
record's ``illustrative_note`` says so. Rules kept throughout:

* no organisation the seeds do not name (venues and caterers are text only);
* no real contact person: the seeds name contact persons with e-mail addresses and
  phone numbers, none of which is loaded; the contacts and accounts in ``people``
  are fictional people with example.org addresses;
* people quoted in public articles (Miriam Koch in the VALUES news item,
  Jun.-Prof. Dr. Heike Hanhörster in the Berliner Morgenpost) appear only in
  the text of those articles.

Organisations are referenced by a handle (a key of ``ORGANISATIONS``), programmes
by their short name, communities by their slug. Meeting times are local wall-clock
times ("YYYY-MM-DD HH:MM") in the meeting's ``timezone``.

Modules: ``organisations`` (organisations and funding programmes), one module per
project (``epic_up``, ``epi``, ``values``, ``eccipa``, ``teilhabe``), ``people``
(fictional contacts and demo accounts) and ``common`` (shared helpers).
"""

from .eccipa import ECCIPA
from .epi import EPI
from .epic_up import EPIC_UP
from .organisations import ORGANISATIONS, PROGRAMMES
from .people import CONTACTS, DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from .teilhabe import TEILHABE
from .values import VALUES

PROJECTS: list[dict] = [EPIC_UP, EPI, VALUES, ECCIPA, TEILHABE]

__all__ = [
    "CONTACTS",
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "DEMO_TOTP_SECRET",
    "ECCIPA",
    "EPI",
    "EPIC_UP",
    "ORGANISATIONS",
    "PROGRAMMES",
    "PROJECTS",
    "TEILHABE",
    "VALUES",
]
