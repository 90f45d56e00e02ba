"""Public-fund pack (公金運用): the investment guideline as rules, valuation and risk."""

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels

pack = Pack(name="funds", label=Labels(ja="公金運用", en="Public funds"))
