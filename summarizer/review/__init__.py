"""Review: an analyst checks and corrects a run's briefs in the browser (`summarizer review`),
and the corrections become data (reviews/, `export --reviewed`, `gold export`).

store.py: reviews as data; actions.py: a reviewer's moves; queue.py: the review order;
app.py: the web application; export.py: corrections out; commands.py: the command line.
"""
