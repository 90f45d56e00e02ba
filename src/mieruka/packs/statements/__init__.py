"""Financial-statement schedules pack (附属明細書)."""

from mieruka.core.registry import Pack
from mieruka.core.schema import Labels

pack = Pack(name="statements", label=Labels(ja="附属明細書", en="Financial-statement schedules"))
