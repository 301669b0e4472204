# dondoc in a container: slim Python, a non-root user, the message catalogs compiled,
# and one volume (/var/lib/dondoc) for the SQLite database, evidence files and backups.
# Build: podman build -t dondoc .   Run: see compose.yaml (with PostgreSQL 15).
FROM docker.io/library/python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pg_dump / pg_restore for `dondoc backup` and `dondoc restore` on PostgreSQL 15.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/dondoc --create-home dondoc

WORKDIR /src
COPY pyproject.toml README.md babel.cfg ./
COPY bot bot
COPY handlers handlers
COPY language language
COPY web web
COPY scheduler scheduler
COPY models models
COPY documents documents
COPY locales locales
RUN pip install "Babel>=2.14" \
    && pybabel -q compile -d locales -D messages \
    && pip install . \
    && rm -rf /src/build

USER dondoc
WORKDIR /var/lib/dondoc
VOLUME ["/var/lib/dondoc"]
ENV DONDOC_DATABASE_URL=sqlite+aiosqlite:////var/lib/dondoc/dondoc.sqlite3 \
    DONDOC_EVIDENCE_FOLDER=/var/lib/dondoc/evidence \
    DONDOC_DOWNLOADS_FOLDER=/var/lib/dondoc/tai-ve \
    DONDOC_BACKUP_FOLDER=/var/lib/dondoc/backups \
    DONDOC_LOGGING_FORMAT=json \
    DONDOC_MONITORING_ENABLED=true \
    DONDOC_MONITORING_LISTEN=0.0.0.0 \
    DONDOC_MONITORING_PORT=8446
EXPOSE 8446
# /healthz answers 503 when unhealthy: urlopen raises, the check fails.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8446/healthz', timeout=12)"]
CMD ["dondoc", "run"]
