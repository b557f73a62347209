"""Hand builders, one module per policy area: a builder fills a tool's arguments from the question's facts where
matching field names to slot names is not enough (`assistant.tool_calls` plans the calls; a tool with no builder here
is filled from its schema). Importing this package registers every builder in `BUILDERS`.
"""

from assistant.tool_builders import contests, hr_service, incubator, match, offices, posts, tax, titles, training
from assistant.tool_builders.common import BUILDERS, Builder, builder

__all__ = ["BUILDERS", "Builder", "builder", "contests", "hr_service", "incubator", "match", "offices", "posts", "tax",
           "titles", "training"]
