"""Human-capital pack (人的資本): statutory disclosures and HR KPIs."""

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels

pack = Pack(name="human_capital", label=Labels(ja="人的資本", en="Human capital"))
