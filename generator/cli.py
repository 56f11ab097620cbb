"""python -m generator build|check|extract: the commands behind the Makefile."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import json
import sys
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from generator.build import build, extract_all, lasting_messages, read_corpus, taxonomy_path_for
from generator.errors import InputError, Problem
from generator.extract import extract
from generator.gazetteer import load_gazetteer
from generator.ingest import read_article, slug_for
from generator.output import BuildBusy, exclusive_build
from generator.parallel import in_child_process, keep_to_the_end
from generator.publish import RenderError, RenderTimes, remove_leftovers, render_site
from generator.retag import RETAGGABLE, merged_suggestion, retag
from generator.state import (BuildRecord, generated_pages, generator_inputs, generator_inputs_besides, load_record, save_record,
                             site_frame, site_inputs)
from generator.tags import pending_suggestions, read_tags, suggested_tags, tag_path_for
from generator.taxonomy import load_taxonomy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="generate docs/ from the articles (and render the site)")
    _common(build_cmd)
    build_cmd.add_argument("--docs", type=Path, default=Path("docs"), help="MkDocs source folder (default: docs)")
    build_cmd.add_argument("--site", type=Path, help="also render the site into this folder with MkDocs")
    build_cmd.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration")
    build_cmd.add_argument("--site-url", help="the address the site is published at (enables instant loading)")
    build_cmd.add_argument("--keep-going", action="store_true",
                           help="publish the good articles and list the ones skipped for problems")
    check_cmd = commands.add_parser("check", help="validate articles and tag files, list pending suggestions")
    _common(check_cmd)
    extract_cmd = commands.add_parser("extract", help="print what extraction finds in article files")
    extract_cmd.add_argument("files", nargs="+", type=Path)
    extract_cmd.add_argument("--json", action="store_true", help="print one JSON array")
    retag_cmd = commands.add_parser("retag", help="take the machine's suggestions into one tag file")
    retag_cmd.add_argument("file", type=Path, help="the tag file, e.g. seeds/000_x.yml")
    retag_cmd.add_argument("--fields", nargs="+", choices=RETAGGABLE, default=["countries", "topics"],
                           help="fields to replace with the suggestions (default: countries topics)")
    retag_cmd.add_argument("--replace", action="store_true",
                           help="replace lists with the suggestions instead of adding the missing ones")
    retag_cmd.add_argument("--dry-run", action="store_true", help="show the change without writing it")
    args = parser.parse_args(argv)
    try:
        with _no_cycle_collection():
            return {"build": _build, "check": _check, "extract": _extract, "retag": _retag}[args.command](args)
    except InputError as err:
        print(f"{len(err.problems)} problem(s) found; nothing was changed:", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except BuildBusy as err:
        print(err, file=sys.stderr)
        return 1
    except RenderError as err:
        print(f"MkDocs could not render the site; the previous site is untouched:\n{err}", file=sys.stderr)
        return 1


@contextmanager
def _no_cycle_collection():
    """A build holds a few million objects that live to its end (facts, readings, the index), and
    makes few reference cycles: Python's cycle collector, run over the growing heap, took a third
    of an edit's generator time at 10,000 briefings and freed nothing of note (peak memory the
    same). Loading the articles' and the facts' caches took 1.57 s with the usual thresholds,
    1.62 s with thresholds raised to (50,000, 20, 20), 0.45 s with no collection. Worker
    processes forked meanwhile inherit the setting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _common(command) -> None:
    command.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of articles (default: seeds)")
    command.add_argument("--taxonomy", type=Path, help="topic taxonomy (default: SEEDS/topics.yml)")


def _build(args) -> int:
    """Each stage runs only when what it reads changed since its last success."""
    project = args.docs.resolve().parent
    with exclusive_build(project):
        started = time.perf_counter()
        record_path = project / ".cache" / "build-state.json"
        record = load_record(record_path)
        taxonomy = args.taxonomy or taxonomy_path_for(args.seeds)
        inputs = generator_inputs(args.seeds, taxonomy)
        if (record.generator, record.pages) == (inputs, generated_pages(args.docs)):
            print("nothing changed since the last build: 0 pages written", file=sys.stderr)
            for line in record.report:
                print(line, file=sys.stderr)
        else:
            record, told = in_child_process(partial(_generate, args, record, inputs, taxonomy))
            sys.stderr.write(told)
            save_record(record_path, record)
        times = RenderTimes(0.0, 0.0)
        generated = time.perf_counter() - started
        if args.site:
            frame = site_frame(args.config, args.docs, args.site, args.site_url)
            if record.site == site_inputs(frame, record.pages):
                remove_leftovers(args.site)
                print(f"site unchanged: {args.site}/ is up to date", file=sys.stderr)
            else:
                times = render_site(args.config, args.docs, args.site, args.site_url, record.frame == frame)
                frame = site_frame(args.config, args.docs, args.site, args.site_url)  # the site exists now
                save_record(record_path, dataclasses.replace(record, site=site_inputs(frame, record.pages),
                                                             frame=frame))
                print(f"site rendered into {args.site}/" + (
                    f" (the changed pages, and {times.bundles_indexed} of {times.bundles} search bundles)"
                    if times.changed_only else ""), file=sys.stderr)
        print(f"timings: generator {generated:.2f} s, mkdocs {times.mkdocs_s:.2f} s, "
              f"search index {times.search_s:.2f} s" + (" (the two side by side)" if times.changed_only else ""),
              file=sys.stderr)
    return 0


def _generate(args, record: BuildRecord, inputs: str, taxonomy: Path) -> tuple[BuildRecord, str]:
    """The generator stage, run in a process of its own (`in_child_process`), so that the corpus
    it holds is gone before MkDocs runs: the record of what it saw, and what it had to say."""
    told = io.StringIO()
    result = build(args.seeds, args.docs, args.taxonomy, log=told, keep_going=args.keep_going)
    keep_to_the_end(result)
    created = frozenset(result.created_tag_files)
    if created:
        besides, whole = generator_inputs_besides(args.seeds, taxonomy, created, result.stamps)
        if besides == inputs:
            inputs = whole  # its own new tag files: the next build is still a no-op
    return dataclasses.replace(record, generator=inputs, pages=generated_pages(args.docs, result.stamps),
                               report=lasting_messages(result)), told.getvalue()


def _check(args) -> int:
    corpus = read_corpus(args.seeds, args.taxonomy)
    facts = extract_all(corpus)
    for notice in corpus.notices:
        print(f"note: {notice}")
    pending = 0
    for article in corpus.articles:
        path = corpus.tag_paths[article.slug]
        if not path.exists():
            print(f"{path}: no tag file yet; the next build creates it")
            continue
        for line in pending_suggestions(corpus.tags[article.slug], suggested_tags(facts[article.slug])):
            print(f"{path}: {line}")
            pending += 1
    print(f"{len(corpus.articles)} articles and their tag files are valid; {pending} pending suggestion(s)")
    return 0


def _extract(args) -> int:
    """Extraction on any files; dates resolve against the date in a tag file beside them."""
    gazetteer = load_gazetteer()
    results = []
    for path in args.files:
        taxonomy, problems = load_taxonomy(taxonomy_path_for(path.parent))
        article, problem, _ = read_article(path, slug_for(path))
        if problem or taxonomy is None:
            raise InputError(([problem] if problem else []) + problems)
        tags, tag_problems, _ = read_tags(tag_path_for(path), gazetteer, taxonomy)
        if tag_problems:
            raise InputError(tag_problems)
        results.append(_facts_json(path, extract(article, gazetteer, taxonomy.topics, tags.date)))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for result in results:
            _print_facts(result)
    return 0


def _print_facts(result: dict) -> None:
    print(f"{result['file']}\n  title: {result['title']}\n  summary: {result['summary']}")
    print("  countries: " + ", ".join(f"{c['code']} ({c['mentions']})" for c in result["countries"]))
    for person in result["people"]:
        office = ", ".join(x for x in (person["role"], person["country"]) if x)
        print(f"  person: {person['name']}" + (f" ({office})" if office else ""))
    for quote in result["quotes"]:
        print(f"  quote: {quote['speaker'] or '?'}: “{quote['text']}”")
    print("  figures: " + "; ".join(f["text"] for f in result["figures"]))
    print("  dates: " + "; ".join(f"{d['text']} = {d['value'] or '?'}" for d in result["dates"]))
    print("  topics: " + ", ".join(result["topics"]))


def _retag(args) -> int:
    article_path = args.file.with_suffix(".txt")
    if args.file.suffix != ".yml" or not args.file.is_file() or not article_path.is_file():
        raise InputError([Problem(args.file, "not a tag file beside an article",
                                  "name the .yml file next to an article .txt, e.g. seeds/000_x.yml")])
    corpus = read_corpus(args.file.parent)
    slug = slug_for(article_path)
    suggestion = suggested_tags(extract_all(corpus)[slug])
    if not args.replace:
        suggestion = merged_suggestion(corpus.tags[slug], suggestion)
    diff = retag(args.file, suggestion, tuple(args.fields), write=not args.dry_run)
    print(diff or f"{args.file} already has the suggested {' and '.join(args.fields)}")
    if diff and not args.dry_run:
        print(f"updated {', '.join(args.fields)} in {args.file}; every other line is as it was")
    return 0


def _facts_json(path: Path, facts) -> dict:
    data = dataclasses.asdict(facts)
    data["countries"] = [{"code": c.country.code, "name": c.country.name, "mentions": c.mentions}
                         for c in facts.countries]
    return {"file": str(path), **data}
