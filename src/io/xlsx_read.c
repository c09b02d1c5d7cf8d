/*
 * xlsx_read: the XLSX reader (see table.h), built on libzip and expat.
 *
 * The workbook's bytes are opened as a ZIP archive in memory. Parts are found
 * the way OPC says: _rels/.rels names the workbook part (normally
 * xl/workbook.xml); the workbook lists its sheets in order, each with a
 * relationship id that the workbook's own .rels file maps to a part name,
 * relative to the workbook's folder or absolute. The first sheet whose
 * relationship is a worksheet is read. The workbook also gives the date
 * system (workbookPr date1904) and, through its .rels, the shared-string
 * table.
 *
 * Each part is streamed from the archive through expat (refusing any that
 * unpacks to more than 256 MiB, against zip bombs; the number of cells and
 * shared strings is bounded too, since an empty cell costs a few compressed
 * bits). Expat runs with namespace processing, so elements are matched by
 * local name whatever prefix a writer chose; a DTD is refused.
 *
 * The shared strings and the workbook (its date system) are read before the
 * worksheet, whose rows are handed to the caller one at a time as expat
 * finishes each <row>, so only one row is held at once.
 * Cells keep their column from their reference ("AB12"; a cell or row
 * without one follows the previous), missing cells become empty ones,
 * trailing empty cells are dropped, and a row's line is its sheet row number.
 * Numbers carry their shortest decimal that reads back as the same double.
 * Strings are decoded from the OOXML "_xHHHH_" escapes that Excel uses for
 * control characters.
 */
#include "io/table.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/xalloc.h"

#define XLSX_MAX_PART ((zip_uint64_t)256 << 20)
#define XLSX_MAX_COLS 16384 /* column XFD, Excel's last */
#define XLSX_MAX_ROW 1000000000L
#define XLSX_MAX_CELLS 5000000 /* also bounds the shared strings */

/* Separates a namespace URI from the local name in expat's element and
 * attribute names. */
#define NS_SEP '\x01'

static void set_err(char **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_err(char **err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(*err);
	*err = xvstrfmt(fmt, ap);
	va_end(ap);
}

/* ---- Part names ---- */

/* The folder of a part name, with its trailing slash ("" at the root). */
static char *part_dir(const char *part)
{
	const char *slash = strrchr(part, '/');
	return xstrndup(part, slash ? (size_t)(slash - part) + 1 : 0);
}

/* The relationships part of a part: xl/workbook.xml ->
 * xl/_rels/workbook.xml.rels. */
static char *rels_part_of(const char *part)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(part, '/');
	const char *base = slash ? slash + 1 : part;
	buf_add(&b, part, (size_t)(base - part));
	buf_addf(&b, "_rels/%s.rels", base);
	return buf_detach(&b);
}

/* Resolves a relationship target against the folder (from part_dir) of the
 * part that holds the relationship: "worksheets/sheet1.xml" and
 * "/xl/worksheets/sheet1.xml" both give "xl/worksheets/sheet1.xml". "." and
 * ".." segments are folded. */
static char *resolve_target(const char *dir, const char *target)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	if (target[0] == '/')
		buf_adds(&in, target + 1);
	else
		buf_addf(&in, "%s%s", dir, target);
	const char *s = buf_cstr(&in);
	while (*s) {
		const char *end = strchr(s, '/');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *last = out.len ? strrchr(out.data, '/') : NULL;
			out.len = last ? (size_t)(last - out.data) : 0;
			if (out.data)
				out.data[out.len] = '\0';
		} else {
			if (out.len)
				buf_addc(&out, '/');
			buf_add(&out, s, n);
		}
		s += n;
		if (*s == '/')
			s++;
	}
	buf_release(&in);
	return buf_detach(&out);
}

/* ---- XML helpers ---- */

/* The common head of every parse context: handlers stop the parser and
 * leave their message in err, or, to stop without an error, a non-zero code
 * in stop. */
struct xml_base {
	XML_Parser parser;
	char *err;
	int stop;
	zip_uint64_t size; /* the part's unpacked size; 0 when unknown */
};

static const char *local_name(const char *name)
{
	const char *sep = strrchr(name, NS_SEP);
	return sep ? sep + 1 : name;
}

/* The value of the attribute with this local name; namespaced says whether
 * it must carry a namespace (r:id) or must not (Id). NULL when absent. */
static const char *attr(const XML_Char **atts, const char *local,
			bool namespaced)
{
	for (size_t i = 0; atts[i]; i += 2) {
		bool has_ns = strchr(atts[i], NS_SEP) != NULL;
		if (has_ns == namespaced &&
		    strcmp(local_name(atts[i]), local) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static void xml_fail(struct xml_base *x, const char *msg)
{
	if (!x->err)
		x->err = xstrdup(msg);
	XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xml_fail(ud, "not an XLSX workbook: a part has a DTD");
}

/*
 * Streams the part called part (found case-insensitively, as OPC wants)
 * from the archive through expat with the handlers; ud starts with a struct
 * xml_base. A part that unpacks to more than 256 MiB is refused. Returns 1
 * when parsed, 0 when there is no such part and required is false, -1 with
 * *err set (the handlers' message, expat's or libzip's) otherwise, or -1
 * with *err untouched when a handler set the base's stop.
 */
static int parse_part(zip_t *za, const char *part, bool required, void *ud,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      XML_CharacterDataHandler text, char **err)
{
	int rc = -1;
	struct xml_base *x = ud;
	XML_Parser p = NULL;
	zip_file_t *zf = NULL;
	zip_stat_t st;
	zip_uint64_t total = 0;
	char chunk[65536];

	zip_int64_t idx = zip_name_locate(za, part, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (!required)
			return 0;
		set_err(err, "not an XLSX workbook: it has no part %s", part);
		return -1;
	}
	x->stop = 0;
	x->size = 0;
	if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE)) {
		if (st.size > XLSX_MAX_PART) {
			set_err(err,
				"not an XLSX workbook: part %s unpacks to more than 256 MiB",
				part);
			goto cleanup;
		}
		x->size = st.size;
	}
	zf = zip_fopen_index(za, (zip_uint64_t)idx, 0);
	if (!zf) {
		set_err(err, "not an XLSX workbook: cannot open part %s: %s",
			part, zip_strerror(za));
		goto cleanup;
	}
	p = XML_ParserCreateNS(NULL, NS_SEP);
	if (!p) {
		set_err(err, "cannot create an XML parser");
		goto cleanup;
	}
	x->parser = p;
	x->err = NULL;
	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, start, end);
	if (text)
		XML_SetCharacterDataHandler(p, text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	for (;;) {
		zip_int64_t n = zip_fread(zf, chunk, sizeof(chunk));
		if (n < 0) {
			set_err(err,
				"not an XLSX workbook: cannot read part %s: %s",
				part, zip_file_strerror(zf));
			goto cleanup;
		}
		total += (zip_uint64_t)n;
		if (total > XLSX_MAX_PART) {
			set_err(err,
				"not an XLSX workbook: part %s unpacks to more than 256 MiB",
				part);
			goto cleanup;
		}
		if (XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
			if (x->stop && !x->err)
				goto cleanup;
			if (x->err)
				set_err(err, "%s", x->err);
			else
				set_err(err,
					"not an XLSX workbook: %s: XML error at line %lu: %s",
					part,
					(unsigned long)XML_GetCurrentLineNumber(p),
					XML_ErrorString(XML_GetErrorCode(p)));
			goto cleanup;
		}
		if (n == 0)
			break;
	}
	rc = 1;
cleanup:
	if (p) {
		free(x->err);
		x->err = NULL;
		XML_ParserFree(p);
	}
	if (zf)
		zip_fclose(zf);
	return rc;
}

/* Appends s to out, decoding the OOXML escapes "_xHHHH_" (Excel writes
 * "_x000D_" for a carriage return and "_x005F_" for a literal underscore
 * before such a pattern). */
static void add_unescaped(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned cp = 0;
		bool esc = n - i >= 7 && s[i] == '_' && s[i + 1] == 'x' &&
			   s[i + 6] == '_';
		for (size_t k = 2; esc && k < 6; k++) {
			char c = s[i + k];
			unsigned v;
			if (c >= '0' && c <= '9')
				v = (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = (unsigned)(c - 'A' + 10);
			else
				esc = false, v = 0;
			cp = cp * 16 + v;
		}
		if (!esc || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			buf_addc(out, s[i++]);
			continue;
		}
		if (cp < 0x80) {
			buf_addc(out, (char)cp);
		} else if (cp < 0x800) {
			buf_addc(out, (char)(0xC0 | (cp >> 6)));
			buf_addc(out, (char)(0x80 | (cp & 0x3F)));
		} else {
			buf_addc(out, (char)(0xE0 | (cp >> 12)));
			buf_addc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
			buf_addc(out, (char)(0x80 | (cp & 0x3F)));
		}
		i += 7;
	}
}

/* ---- Relationships ---- */

struct rel {
	char *id, *type, *target;
};

struct rels_ctx {
	struct xml_base base;
	struct rel *v;
	size_t n, cap;
};

static void XMLCALL rels_start(void *ud, const XML_Char *name,
			       const XML_Char **atts)
{
	struct rels_ctx *c = ud;
	if (strcmp(local_name(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id", false);
	const char *type = attr(atts, "Type", false);
	const char *target = attr(atts, "Target", false);
	const char *mode = attr(atts, "TargetMode", false);
	if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = (struct rel){ xstrdup(id), xstrdup(type),
				     xstrdup(target) };
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void rels_free(struct rels_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].id);
		free(c->v[i].type);
		free(c->v[i].target);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

/* Whether a relationship type URI names this kind ("worksheet", ...): the
 * transitional and strict namespaces share the last segment. */
static bool rel_is(const struct rel *r, const char *kind)
{
	const char *slash = strrchr(r->type, '/');
	return slash && strcmp(slash + 1, kind) == 0;
}

/* Reads the relationships of part (none when its .rels is missing). */
static int read_rels(zip_t *za, const char *rels_part, struct rels_ctx *c,
		     char **err)
{
	int rc = parse_part(za, rels_part, false, c, rels_start, ignore_end,
			    NULL, err);
	return rc < 0 ? -1 : 0;
}

/* ---- Workbook ---- */

struct wb_ctx {
	struct xml_base base;
	bool date1904;
	char **rids; /* the sheets' relationship ids, in order */
	size_t n, cap;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name,
			     const XML_Char **atts)
{
	struct wb_ctx *c = ud;
	const char *ln = local_name(name);
	if (strcmp(ln, "workbookPr") == 0) {
		const char *v = attr(atts, "date1904", false);
		c->date1904 = v && (strcmp(v, "1") == 0 ||
				    strcmp(v, "true") == 0);
	} else if (strcmp(ln, "sheet") == 0) {
		const char *rid = attr(atts, "id", true);
		if (!rid)
			return;
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 8;
			c->rids = xrealloc(c->rids, c->cap * sizeof(*c->rids));
		}
		c->rids[c->n++] = xstrdup(rid);
	}
}

/* ---- Shared strings ---- */

struct sst_ctx {
	struct xml_base base;
	char **v;
	size_t n, cap;
	bool in_si, in_t;
	int rph_depth; /* inside <rPh>: phonetic text, not part of the value */
	struct buf raw;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name,
			      const XML_Char **atts)
{
	struct sst_ctx *c = ud;
	const char *ln = local_name(name);
	(void)atts;
	if (strcmp(ln, "si") == 0) {
		c->in_si = true;
		c->rph_depth = 0;
		buf_reset(&c->raw);
	} else if (strcmp(ln, "rPh") == 0) {
		c->rph_depth++;
	} else if (strcmp(ln, "t") == 0 && c->in_si && !c->rph_depth) {
		c->in_t = true;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst_ctx *c = ud;
	const char *ln = local_name(name);
	if (strcmp(ln, "si") == 0 && c->in_si) {
		struct buf s = BUF_INIT;
		c->in_si = false;
		if (c->n == XLSX_MAX_CELLS) {
			xml_fail(&c->base, "XLSX: too many shared strings");
			return;
		}
		add_unescaped(&s, buf_cstr(&c->raw), c->raw.len);
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
		}
		c->v[c->n++] = buf_detach(&s);
	} else if (strcmp(ln, "rPh") == 0 && c->rph_depth) {
		c->rph_depth--;
	} else if (strcmp(ln, "t") == 0) {
		c->in_t = false;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
	struct sst_ctx *c = ud;
	if (c->in_t)
		buf_add(&c->raw, s, (size_t)len);
}

static void sst_free(struct sst_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	free(c->v);
	buf_release(&c->raw);
}

/* ---- Numbers ---- */

/*
 * Writes v as a spreadsheet shows it: the shortest decimal of at most 15
 * significant digits that strtod reads back as v, or v rounded to 15 digits;
 * integers below 1e15 in plain digits, other values without an exponent
 * unless they are tiny (below 1e-10) or huge. Excel stores =1.1*3 as
 * 3.3000000000000003 and its user sees 3.3; so do we (LibreOffice stores
 * such values already rounded to 15 digits).
 */
static void format_number(double v, char out[64])
{
	if (v == 0) {
		strcpy(out, "0"); /* also for -0 */
		return;
	}
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(out, 64, "%.0f", v);
		return;
	}
	/* A spreadsheet shows at most 15 significant digits, and a value typed
	 * as 3.3 but computed as 1.1*3 (3.3000000000000003) is 3.3 to its user:
	 * take the shortest decimal of up to 15 digits that reads back as v, or
	 * else v at 15 digits (DOMAIN.md: 3.3000000000000003 -> 3.3). */
	int p;
	for (p = 1; p < 15; p++) {
		snprintf(out, 64, "%.*g", p, v);
		if (strtod(out, NULL) == v)
			break;
	}
	if (p == 15)
		snprintf(out, 64, "%.15g", v);
	const char *e = strchr(out, 'e');
	if (!e)
		return;
	int e10 = atoi(e + 1);
	if (e10 < -10 || e10 >= 15)
		return;
	int decimals = p - 1 - e10;
	snprintf(out, 64, "%.*f", decimals > 0 ? decimals : 0, v);
}

/* ---- Worksheet ---- */

struct sheet_ctx {
	struct xml_base base;
	table_row_fn row_fn;
	void *row_ctx;
	struct table_info *info;
	char *const *sst;
	size_t nsst;
	size_t total_cells;

	bool in_data, in_row;
	long row, last_row;
	struct cell *cells;
	size_t ncells, cells_cap;
	long next_col;

	bool in_cell, in_v, in_is, in_t;
	int rph_depth;
	long col;
	char type[16];
	bool has_v, has_is;
	struct buf v, is;
};

/* Parses the column letters of a reference like "AB12" (A is 0). Returns -1
 * when malformed or past XFD. */
static long parse_col(const char *ref)
{
	long col = 0;
	size_t i = 0;
	while (ref[i] >= 'A' && ref[i] <= 'Z') {
		col = col * 26 + (ref[i] - 'A' + 1);
		if (col > XLSX_MAX_COLS)
			return -1;
		i++;
	}
	if (i == 0)
		return -1;
	for (size_t k = i; ref[k]; k++)
		if (ref[k] < '0' || ref[k] > '9')
			return -1;
	return col - 1;
}

/* Stops the parse with a message naming the current row. */
static void sheet_fail(struct sheet_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sheet_fail(struct sheet_ctx *c, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	buf_addf(&b, "XLSX sheet row %ld: ", c->row);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	xml_fail(&c->base, buf_cstr(&b));
	buf_release(&b);
}

static void sheet_row_start(struct sheet_ctx *c, const XML_Char **atts)
{
	const char *r = attr(atts, "r", false);
	long row = c->last_row + 1;
	if (r) {
		char *end;
		row = strtol(r, &end, 10);
		if (end == r || *end || row < 1 || row > XLSX_MAX_ROW) {
			c->row = c->last_row + 1;
			sheet_fail(c, "invalid row number \"%s\"", r);
			return;
		}
	}
	c->in_row = true;
	c->row = row;
	c->next_col = 0;
	c->ncells = 0;
}

/* The rows_hint of a <dimension ref="A1:V100"/>: its last row number (100),
 * or 0 when the reference has none. */
static size_t dimension_rows(const char *ref)
{
	const char *colon = strchr(ref, ':');
	const char *p = colon ? colon + 1 : ref;
	while (*p >= 'A' && *p <= 'Z')
		p++;
	char *end;
	long row = strtol(p, &end, 10);
	if (end == p || *end || row < 1 || row > XLSX_MAX_ROW)
		return 0;
	return (size_t)row;
}

/* Passes the row to the caller unless every cell is empty, then frees its
 * cells. A non-zero answer stops the parse. */
static void sheet_row_end(struct sheet_ctx *c)
{
	while (c->ncells && c->cells[c->ncells - 1].kind == CELL_EMPTY)
		free(c->cells[--c->ncells].text);
	c->in_row = false;
	c->last_row = c->row;
	if (!c->ncells)
		return; /* every cell was empty */
	struct table_row row = { (int)c->row, c->ncells, c->cells };
	c->info->total = (size_t)c->base.size;
	c->info->done = (size_t)(XML_GetCurrentByteIndex(c->base.parser) +
				 XML_GetCurrentByteCount(c->base.parser));
	int rc = c->row_fn(c->row_ctx, &row, c->info);
	for (size_t i = 0; i < c->ncells; i++)
		free(c->cells[i].text);
	c->ncells = 0;
	if (rc != 0) {
		c->base.stop = rc;
		XML_StopParser(c->base.parser, XML_FALSE);
	}
}

static void sheet_cell_start(struct sheet_ctx *c, const XML_Char **atts)
{
	const char *r = attr(atts, "r", false);
	const char *type = attr(atts, "t", false);
	long col = c->next_col;
	if (r) {
		col = parse_col(r);
		if (col < 0) {
			sheet_fail(c, "invalid cell reference \"%s\"", r);
			return;
		}
	} else if (col >= XLSX_MAX_COLS) {
		sheet_fail(c, "more than %d columns", XLSX_MAX_COLS);
		return;
	}
	c->in_cell = true;
	c->col = col;
	snprintf(c->type, sizeof(c->type), "%s", type ? type : "n");
	c->has_v = c->has_is = false;
	c->rph_depth = 0;
	buf_reset(&c->v);
	buf_reset(&c->is);
}

/* Fills the cell's kind and text from the collected value. Returns -1 (after
 * stopping the parse) on a bad shared-string index. */
static int sheet_cell_value(struct sheet_ctx *c, struct cell *cell)
{
	struct buf text = BUF_INIT;
	const char *v = buf_cstr(&c->v);
	const char *t = c->type;
	cell->kind = CELL_TEXT;
	cell->num = 0;
	if (strcmp(t, "s") == 0) {
		char *end;
		unsigned long long i = strtoull(v, &end, 10);
		if (!c->has_v || end == v || *end || v[0] == '-' ||
		    i >= c->nsst) {
			sheet_fail(c, "shared string \"%s\" does not exist", v);
			return -1;
		}
		buf_adds(&text, c->sst[i]);
	} else if (strcmp(t, "inlineStr") == 0) {
		if (c->has_is)
			add_unescaped(&text, buf_cstr(&c->is), c->is.len);
		else
			add_unescaped(&text, v, c->v.len);
	} else if (strcmp(t, "str") == 0) {
		add_unescaped(&text, v, c->v.len);
	} else if (strcmp(t, "b") == 0) {
		if (strcmp(v, "1") == 0)
			buf_adds(&text, "TRUE");
		else if (strcmp(v, "0") == 0)
			buf_adds(&text, "FALSE");
		else
			buf_adds(&text, v);
	} else if (strcmp(t, "n") == 0 && c->v.len) {
		char *end;
		double d = strtod(v, &end);
		if (end != v && !*end && isfinite(d)) {
			char num[64];
			format_number(d, num);
			buf_adds(&text, num);
			cell->kind = CELL_NUMBER;
			cell->num = d;
		} else {
			buf_adds(&text, v);
		}
	} else {
		/* "e" (an error such as #DIV/0!), "d" (ISO date) and
		 * unknown types keep their text. */
		buf_adds(&text, v);
	}
	if (!text.len)
		cell->kind = CELL_EMPTY;
	cell->text = buf_detach(&text);
	return 0;
}

static void sheet_cell_end(struct sheet_ctx *c)
{
	struct cell cell;
	c->in_cell = false;
	if (sheet_cell_value(c, &cell) < 0)
		return;
	size_t col = (size_t)c->col;
	if (col >= c->ncells && col + 1 - c->ncells > XLSX_MAX_CELLS - c->total_cells) {
		free(cell.text);
		sheet_fail(c, "the sheet has more than %d cells",
			   XLSX_MAX_CELLS);
		return;
	}
	if (col >= c->cells_cap) {
		size_t cap = c->cells_cap ? c->cells_cap : 16;
		while (cap <= col)
			cap *= 2;
		c->cells = xrealloc(c->cells, cap * sizeof(*c->cells));
		c->cells_cap = cap;
	}
	while (c->ncells <= col) {
		c->cells[c->ncells++] =
			(struct cell){ CELL_EMPTY, xstrdup(""), 0 };
		c->total_cells++;
	}
	free(c->cells[col].text);
	c->cells[col] = cell;
	c->next_col = c->col + 1;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name,
				const XML_Char **atts)
{
	struct sheet_ctx *c = ud;
	const char *ln = local_name(name);
	if (c->base.stop)
		return;
	if (!c->in_data && strcmp(ln, "dimension") == 0) {
		const char *ref = attr(atts, "ref", false);
		c->info->rows_hint = ref ? dimension_rows(ref) : 0;
		return;
	}
	if (strcmp(ln, "sheetData") == 0)
		c->in_data = true;
	else if (!c->in_data)
		return;
	else if (strcmp(ln, "row") == 0 && !c->in_row)
		sheet_row_start(c, atts);
	else if (strcmp(ln, "c") == 0 && c->in_row && !c->in_cell)
		sheet_cell_start(c, atts);
	else if (!c->in_cell)
		return;
	else if (strcmp(ln, "v") == 0)
		c->in_v = c->has_v = true;
	else if (strcmp(ln, "is") == 0)
		c->in_is = c->has_is = true;
	else if (strcmp(ln, "rPh") == 0)
		c->rph_depth++;
	else if (strcmp(ln, "t") == 0 && c->in_is && !c->rph_depth)
		c->in_t = true;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet_ctx *c = ud;
	const char *ln = local_name(name);
	if (!c->in_data || c->base.stop)
		return;
	if (strcmp(ln, "sheetData") == 0)
		c->in_data = false;
	else if (strcmp(ln, "row") == 0 && c->in_row)
		sheet_row_end(c);
	else if (strcmp(ln, "c") == 0 && c->in_cell)
		sheet_cell_end(c);
	else if (!c->in_cell)
		return;
	else if (strcmp(ln, "v") == 0)
		c->in_v = false;
	else if (strcmp(ln, "is") == 0)
		c->in_is = false;
	else if (strcmp(ln, "rPh") == 0 && c->rph_depth)
		c->rph_depth--;
	else if (strcmp(ln, "t") == 0)
		c->in_t = false;
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
	struct sheet_ctx *c = ud;
	if (c->in_v)
		buf_add(&c->v, s, (size_t)len);
	else if (c->in_t)
		buf_add(&c->is, s, (size_t)len);
}

static void sheet_free(struct sheet_ctx *c)
{
	for (size_t i = 0; i < c->ncells; i++)
		free(c->cells[i].text);
	free(c->cells);
	buf_release(&c->v);
	buf_release(&c->is);
}

/* ---- The reader ---- */

int table_scan_xlsx(const char *data, size_t len, table_row_fn row, void *ctx,
		    struct table_info *info, char **err)
{
	int rc = -1;
	struct table_info local;
	zip_error_t zerr;
	zip_source_t *src = NULL;
	zip_t *za = NULL;
	struct rels_ctx root_rels = { 0 }, wb_rels = { 0 };
	struct wb_ctx wb = { 0 };
	struct sst_ctx sst = { 0 };
	struct sheet_ctx sheet = { 0 };
	char *wb_part = NULL, *wb_dir = NULL, *wb_rels_part = NULL;
	char *sheet_part = NULL, *sst_part = NULL;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->encoding = "XLSX";
	*err = NULL;
	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (src)
		za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	if (!za) {
		set_err(err, "not an XLSX workbook: %s",
			zip_error_strerror(&zerr));
		if (src)
			zip_source_free(src);
		goto cleanup;
	}

	/* The workbook part, from the package relationships. */
	if (read_rels(za, "_rels/.rels", &root_rels, err) < 0)
		goto cleanup;
	for (size_t i = 0; i < root_rels.n && !wb_part; i++)
		if (rel_is(&root_rels.v[i], "officeDocument"))
			wb_part = resolve_target("", root_rels.v[i].target);
	if (!wb_part)
		wb_part = xstrdup("xl/workbook.xml");
	int found = parse_part(za, wb_part, false, &wb, wb_start, ignore_end,
			       NULL, err);
	if (found < 0)
		goto cleanup;
	if (!found) {
		if (zip_name_locate(za, "content.xml", 0) >= 0)
			set_err(err,
				"not an XLSX workbook: this looks like an OpenDocument file (.ods); save it as .xlsx");
		else
			set_err(err, "not an XLSX workbook: it has no %s",
				wb_part);
		goto cleanup;
	}

	/* The first worksheet and the shared strings, from the workbook's
	 * relationships. */
	wb_dir = part_dir(wb_part);
	wb_rels_part = rels_part_of(wb_part);
	if (read_rels(za, wb_rels_part, &wb_rels, err) < 0)
		goto cleanup;
	for (size_t s = 0; s < wb.n && !sheet_part; s++)
		for (size_t i = 0; i < wb_rels.n; i++)
			if (strcmp(wb_rels.v[i].id, wb.rids[s]) == 0) {
				if (rel_is(&wb_rels.v[i], "worksheet"))
					sheet_part = resolve_target(
						wb_dir, wb_rels.v[i].target);
				break;
			}
	if (!sheet_part) {
		set_err(err, "not an XLSX workbook: it has no worksheet");
		goto cleanup;
	}
	for (size_t i = 0; i < wb_rels.n && !sst_part; i++)
		if (rel_is(&wb_rels.v[i], "sharedStrings"))
			sst_part = resolve_target(wb_dir, wb_rels.v[i].target);
	if (!sst_part)
		sst_part = resolve_target(wb_dir, "sharedStrings.xml");
	if (parse_part(za, sst_part, false, &sst, sst_start, sst_end, sst_text,
		       err) < 0)
		goto cleanup;

	info->date1904 = wb.date1904;
	sheet.row_fn = row;
	sheet.row_ctx = ctx;
	sheet.info = info;
	sheet.sst = sst.v;
	sheet.nsst = sst.n;
	if (parse_part(za, sheet_part, true, &sheet, sheet_start, sheet_end,
		       sheet_text, err) < 0) {
		if (sheet.base.stop && !*err)
			rc = sheet.base.stop;
		goto cleanup;
	}
	info->total = (size_t)sheet.base.size;
	info->done = info->total;
	rc = 0;
cleanup:
	if (za)
		zip_discard(za);
	zip_error_fini(&zerr);
	rels_free(&root_rels);
	rels_free(&wb_rels);
	for (size_t i = 0; i < wb.n; i++)
		free(wb.rids[i]);
	free(wb.rids);
	sst_free(&sst);
	sheet_free(&sheet);
	free(wb_part);
	free(wb_dir);
	free(wb_rels_part);
	free(sheet_part);
	free(sst_part);
	return rc;
}
