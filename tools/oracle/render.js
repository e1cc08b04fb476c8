#!/usr/bin/env node
// render.js — citeproc-js (npm `citeproc`, the processor behind Zotero and Mendeley)
// as the reference renderer for tests/oracle.
//
// stdin: JSON, one job or a list of jobs (then stdout is the list of their results)
//   {
//     "style_xml": "<style …>",              CSL style text
//     "lang": "ru-RU",                       locale to force (the book's language)
//     "locale_xml": "<locale …>",            optional: the locale text for `lang`
//     "locales_dir": "/…/locales",           optional: where locales-<tag>.xml live
//                                            (tests pass citeproc-py's own folder, so
//                                            both processors read the same terms)
//     "items": [ CSL-JSON … ],
//     "citations": [ [ {id, locator, label, prefix, suffix,
//                       "suppress-author", "author-only", "narrative"} … ], … ],
//     "note_indexes": [1, 1, 3, …],          optional: the number of the note each citation
//                                            stands in (default 1, 2, 3 …: a note apiece)
//     "output_format": "html" | "text",      default "html"
//     "narrative": "composed" | "note"       default "composed"; see below
//   }
//
// stdout: JSON
//   {
//     "citations": ["…", …],                 one string per citation, in document order
//     "authors": ["…" | null, …],            a narrative citation's author part (see below)
//     "positions": [[0, 1, …], …],           CSL position of each item as given (0 first,
//                                            1 subsequent, 2 ibid, 3 ibid-with-locator)
//     "sorted_ids": [["id", …], …],          each citation's items in the order printed
//                                            (styles with cs:citation/cs:sort reorder them)
//     "bibliography": [{"id": "…", "html": "…"}, …]   makeBibliography's entries, in order
//   }
//
// Citations go through processCitationCluster one by one in document order, each with
// its noteIndex ("note_indexes", else 1, 2, 3 …), so note styles see ibid/subsequent
// positions and first-reference-note-number as they would in those footnotes. The final
// text of every citation is kept (a later citation can re-render an earlier one, e.g. when
// it adds a year suffix).
//
// Narrative (author-in-text) citations are emulated as Pandoc splits them (its AuthorOnly and
// SuppressAuthor halves) and kzpublish composes them (src/kzpublish/citations.py): the
// author-only rendering of the item, then the item rendered with suppress-author inside the
// citation layout's prefix and suffix. The suppress-author part takes the citation's place
// in the document sequence (it carries the locator and determines positions); the author
// part is rendered afterwards with makeCitationCluster, which leaves the registry alone,
// at the item's position (ibid forms count as subsequent: an author's name in running text
// is never "Ibid."), a delimiter left at its end dropped. "composed" (in-text styles): the
// citation reads author, a space, then the rest. "note" (note styles): the author stays in
// the sentence, the rest is the note, so the citation is the rest alone; either way
// "authors" gives each citation's author part (null where it has none).
"use strict";

const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

function readStdin() {
  return fs.readFileSync(0, "utf8");
}

function localeLoader(input) {
  const cache = {};
  return function retrieveLocale(tag) {
    if (tag in cache) return cache[tag];
    let xml = null;
    if (input.locale_xml && (tag === input.lang || tag === primary(input.lang))) {
      xml = input.locale_xml;
    } else if (input.locales_dir) {
      const file = findLocaleFile(input.locales_dir, tag);
      if (file) xml = fs.readFileSync(file, "utf8");
    }
    cache[tag] = xml;
    return xml;
  };
}

function primary(tag) {
  return String(tag || "").split("-")[0].toLowerCase();
}

// Same choice as kzpublish.csl.locale_for: the exact tag, else a preferred region,
// else the first file of the same language.
function findLocaleFile(dir, tag) {
  const exact = path.join(dir, `locales-${tag}.xml`);
  if (fs.existsSync(exact)) return exact;
  const preferred = { en: "en-US", pt: "pt-PT", de: "de-DE", fr: "fr-FR", zh: "zh-CN" };
  const lang = primary(tag);
  if (preferred[lang]) {
    const file = path.join(dir, `locales-${preferred[lang]}.xml`);
    if (fs.existsSync(file)) return file;
  }
  const match = fs.readdirSync(dir).sort()
    .find((name) => name.startsWith(`locales-${lang}-`) || name === `locales-${lang}.xml`);
  return match ? path.join(dir, match) : null;
}

// makeBibliography leaves out entries that render empty (Chicago prints no entry for a
// dictionary entry without author) while params.entry_ids keeps every id, so the two lists
// do not line up. Each entry is marked with its item id instead (the formatter knows it
// as this.item_id, given system_id) and the mark is taken off again below.
function markEntries(format) {
  const formats = CSL.Output.Formats[format];
  if (formats.__kzMarked) return;
  const entry = formats["@bibliography/entry"];
  formats["@bibliography/entry"] = function (state, str) {
    return `\u0001${this.item_id}\u0002` + entry.call(this, state, str);
  };
  formats.__kzMarked = true;
}

function citationItem(raw) {
  const item = { id: String(raw.id) };
  for (const key of ["locator", "label", "prefix", "suffix"]) {
    if (raw[key]) item[key] = String(raw[key]);
  }
  if (raw["suppress-author"] || raw.narrative) item["suppress-author"] = true;
  if (raw["author-only"]) item["author-only"] = true;
  return item;
}

// One engine per style and locale, reused across jobs: building citeproc-js's token lists
// for a large style (Chicago, APA) takes seconds, rendering a document a fraction of that.
// restoreProcessorState([]) empties the registry between jobs.
const engines = new Map();

function engineFor(input, items) {
  const format = input.output_format || "html";
  const key = JSON.stringify([input.style_xml, input.lang, input.locale_xml, input.locales_dir, format]);
  let entry = engines.get(key);
  if (!entry) {
    markEntries(format);
    const sys = {
      retrieveLocale: localeLoader(input),
      retrieveItem: (id) => entry.items[id],
      // system_id + embedBibliographyEntry make citeproc-js tell the formatter which item
      // an entry belongs to (see markEntries); system_id is no CSL variable.
      embedBibliographyEntry: () => "",
    };
    entry = { items };
    entry.engine = new CSL.Engine(sys, input.style_xml, input.lang, true);
    entry.engine.setOutputFormat(format);
    engines.set(key, entry);
  } else {
    entry.items = items;
    entry.engine.restoreProcessorState([]);
  }
  return entry.engine;
}

function render(input) {
  const items = {};
  for (const item of input.items) items[String(item.id)] = { ...item, system_id: String(item.id) };
  const engine = engineFor(input, items);
  const composed = (input.narrative || "composed") === "composed";

  const rendered = {};
  const citationsPre = [];
  const ids = [];
  input.citations.forEach((cluster, index) => {
    const citationID = `c${index + 1}`;
    const noteIndex = input.note_indexes ? input.note_indexes[index] : index + 1;
    const citation = {
      citationID,
      citationItems: cluster.map((raw) => citationItem(raw)),
      properties: { noteIndex },
    };
    const [, updates] = engine.processCitationCluster(citation, citationsPre, []);
    for (const [, text, id] of updates) rendered[id] = text;
    citationsPre.push([citationID, noteIndex]);
    ids.push(citationID);
  });

  const positions = [];
  const sortedIds = [];
  const authors = [];
  const citations = input.citations.map((cluster, index) => {
    const citationID = ids[index];
    const stored = engine.registry.citationreg.citationById[citationID];
    const byId = {};
    for (const [, item] of stored.sortedItems) byId[item.id] = item.position || 0;
    sortedIds.push(stored.sortedItems.map(([, item]) => String(item.id)));
    positions.push(cluster.map((raw) => byId[String(raw.id)] || 0));
    const text = rendered[citationID];
    const narrative = cluster.filter((raw) => raw.narrative);
    authors.push(null);
    if (!narrative.length) return text;
    if (cluster.length !== 1) throw new Error(`narrative citation ${citationID} must hold one item`);
    const position = Math.min(byId[String(narrative[0].id)] || 0, CSL.POSITION_SUBSEQUENT);
    const author = engine.makeCitationCluster([
      { id: String(narrative[0].id), "author-only": true, position },
    ]);
    // The author part stands alone in the sentence: a delimiter citeproc-js leaves after
    // it (GOST's layout group gives "Berg van der,") belongs to the part it dropped.
    authors[index] = author.replace(/[\s,;:]+((?:<\/[a-z]+>)*)$/, "$1");
    return composed ? `${authors[index]} ${text}` : text;
  });

  let bibliography = [];
  const made = engine.makeBibliography();
  if (made) {
    bibliography = made[1].map((marked) => {
      const match = /^\u0001([^\u0002]*)\u0002/.exec(marked);
      return { id: match[1], html: marked.slice(match[0].length) };
    });
  }
  return { citations, authors, positions, sorted_ids: sortedIds, bibliography };
}

function main() {
  const input = JSON.parse(readStdin());
  const output = Array.isArray(input) ? input.map(render) : render(input);
  process.stdout.write(JSON.stringify(output));
}

try {
  main();
} catch (error) {
  process.stderr.write(`render.js: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
}
