"""HTML views of the outputs: the briefs of a run (OUT/index.html) and the eval report
(report.html). Static, self-contained pages: no server, no network, article text escaped."""

from .briefs_page import INDEX, render_briefs_page, write_index

__all__ = ["INDEX", "render_briefs_page", "write_index"]
