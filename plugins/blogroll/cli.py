"""Command line for maintainers: `python -m blogroll <command>`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import registry
from .errors import RegistryError
from .settings import Settings


def cmd_check(args, settings: Settings) -> int:
    warnings: list = []
    try:
        reg = registry.load(settings.feeds, settings.specialties, allow_private=settings.allow_private,
                            warnings=warnings)
    except RegistryError as exc:
        for file, line, reason in exc.problems:
            print(f"{file}:{line}: {reason}", file=sys.stderr)
        print(f"{len(exc.problems)} erreur(s) : corrigez {settings.feeds.name} avant de construire.",
              file=sys.stderr)
        return 1
    for file, line, reason in warnings:
        print(f"{file}:{line}: avertissement : {reason}", file=sys.stderr)
    print(f"{settings.feeds.name} : {len(reg.feeds)} blogs ({len(reg.active)} actifs), "
          f"{len(reg.vocabulary.specialties)} spécialités : OK")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m blogroll",
                                     description="Outils de maintenance de Docs du Net.")
    parser.add_argument("--feeds", type=Path, help="registre (défaut : feeds.yaml ou BLOGROLL_FEEDS)")
    parser.add_argument("--specialties", type=Path, help="vocabulaire (défaut : specialties.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="valider feeds.yaml et specialties.yaml (toutes les erreurs, avec leur ligne)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.load(base=Path.cwd())
    if args.feeds:
        settings = settings.__class__(**{**settings.__dict__, "feeds": args.feeds})
    if args.specialties:
        settings = settings.__class__(**{**settings.__dict__, "specialties": args.specialties})
    return {"check": cmd_check}[args.command](args, settings)
