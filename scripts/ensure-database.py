"""Create the PostgreSQL database named by a URL if it does not exist yet (make seed-scale)."""

import sys
from urllib.parse import urlparse

import psycopg
from psycopg import sql

url = urlparse(sys.argv[1])
if url.scheme.startswith("postgres"):
    name = url.path.lstrip("/")
    server = url._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
