# Production image: gunicorn web, Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORTAL_DATA_DIR=/app/var

# WeasyPrint's system libraries (Pango, HarfBuzz, fontconfig) and fonts for the PDFs;
# pg_dump and pg_restore of the server's major version (postgres:15) for manage.py backup/restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core fonts-liberation2 shared-mime-info \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY outbox ./outbox
COPY portal ./portal
COPY partners ./partners
COPY projects ./projects
COPY events ./events
COPY reports ./reports
RUN pip install .
COPY manage.py ./
COPY templates ./templates
COPY static ./static

# Static files are collected at build time and served by whitenoise.
RUN DJANGO_STATIC_ROOT=/app/staticfiles python manage.py collectstatic --noinput

RUN useradd --system --create-home --uid 10001 portal \
    && mkdir -p /app/var/media \
    && chown -R portal /app/var
USER portal

ENV PORTAL_ENV=production \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/var/media

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
