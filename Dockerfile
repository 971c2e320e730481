# Image for the web, worker and beat services of docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# npm fetches the front-end packages at build time; the running app never reaches a CDN.
# Pango, DejaVu and chromium: the PDF books (WeasyPrint, kaleido's charts), as RUN_APT_PACKAGES.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt package.json package-lock.json Makefile ./
RUN python -m venv /app/.venv && /app/.venv/bin/pip install --no-cache-dir -r requirements.txt
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends make \
    && make vendor messages \
    && apt-get purge -y make && rm -rf /var/lib/apt/lists/* node_modules \
    && SECRET_KEY=build-only /app/.venv/bin/python manage.py collectstatic --noinput

RUN useradd --system --home /app smartcity && mkdir -p /var/lib/smartcity/media \
    && chown -R smartcity /var/lib/smartcity
USER smartcity
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
CMD ["gunicorn", "smartcity.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
