"""gunicorn settings for `gunicorn -c gunicorn.conf.py 'configurator.web:create_app()'`.

The request-line limit comes from the app's own URL limit (configurator/web/urls.py), so every
address the app would refuse reaches it and gets its 414 page or JSON, not gunicorn's bare one.
"""

import os

from configurator.web.urls import MAX_QUERY_BYTES, REQUEST_LINE_BYTES

GUNICORN_LINE_CAP = 8190  # the most gunicorn accepts for limit_request_line (0 means unbounded)

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
limit_request_line = REQUEST_LINE_BYTES
assert MAX_QUERY_BYTES < limit_request_line <= GUNICORN_LINE_CAP, "see configurator/web/urls.py"
