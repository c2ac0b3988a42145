# syntax=docker/dockerfile:1
# One image for web (gunicorn), worker and beat (Celery) and the one-shot migrate job.
# See docker-compose.yml for how they are wired together.

# --- Front-end assets -------------------------------------------------------------------------
# Bootstrap and htmx come from the npm registry at build time (no CDN at run time: government
# intranets are offline). Node.js and npm stay in this stage; only the dist folders move on.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Application ------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/var/lib/shaoxing-bases/uploads

# WeasyPrint: pango, and libharfbuzz-subset0 so that CJK font subsetting is fast (without it
# WeasyPrint silently falls back to fontTools and a CJK notice takes seconds). CJK fonts so that
# Chinese documents render and embed their glyphs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-noto-cjk fonts-arphic-gbsn00lp fonts-arphic-gkai00mp \
    && rm -rf /var/lib/apt/lists/*

# Fixed ids, so that the host can give the reverse proxy's group access to gunicorn's socket
# directory (docs/operations.md): `install -d -m 2770 -o 10001 -g www-data /run/shaoxing-bases`.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer: pyproject.toml declares no packages
# ([tool.setuptools] packages = []), so `pip install .` installs only the dependencies (no dev
# extras) and the application runs from /app.
COPY pyproject.toml ./
RUN pip install --no-cache-dir .

COPY . .
# Same paths as in development: settings' STATICFILES_DIRS reads them from node_modules/*/dist.
COPY --from=assets /app/node_modules/bootstrap/dist ./node_modules/bootstrap/dist
COPY --from=assets /app/node_modules/htmx.org/dist ./node_modules/htmx.org/dist

# Hashed, compressed static files for WhiteNoise, baked into the image. Production settings refuse
# to load without these variables; the dummy values exist only for this one command and nothing
# connects to the database or to Redis here.
RUN DJANGO_SETTINGS_MODULE=shaoxing_bases.settings.production \
    DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build:build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    AUDIT_HMAC_KEY=collectstatic-at-build-time-only-not-the-audit-key \
    python manage.py collectstatic --noinput

# Uploads live outside the web root, on a volume owned by the unprivileged user; the code itself
# stays owned by root and read-only for the process.
RUN mkdir -p "$MEDIA_ROOT" /run/gunicorn \
    && chown app:app "$MEDIA_ROOT" /run/gunicorn \
    && chmod 750 "$MEDIA_ROOT"

USER app
ENV DJANGO_SETTINGS_MODULE=shaoxing_bases.settings.production
# gunicorn listens on a Unix socket only, never on a TCP port: production trusts the
# X-Forwarded-For entry the reverse proxy appends (TRUSTED_PROXY_COUNT=1), so a client that could
# reach gunicorn directly could name any address it liked for the login lockout and the audit
# trail. Only what can open the socket file (the proxy, through a mounted directory) talks to it.
# Nothing is EXPOSEd. To listen on a proxy-facing interface instead, override --bind with that
# interface's address (never 0.0.0.0); see docker-compose.yml.
CMD ["gunicorn", "shaoxing_bases.wsgi:application", "--bind", "unix:/run/gunicorn/gunicorn.sock", \
     "--umask", "007", "--workers", "3", "--access-logfile", "-"]
