/*
 * test_table: the CSV and XLSX readers, the CSV and XLSX writers and the
 * date-serial conversion (src/io/table.h).
 *
 * CSV input is written inline (GB18030 bytes are made with iconv from UTF-8
 * literals). XLSX input comes from three places: files written here with
 * xlsx_out_* and read back; fixtures saved by LibreOffice and hand-written
 * ones (tests/fixtures, see make-fixtures there); and small workbooks zipped
 * in memory with libzip for the error paths. Run from the repository root.
 */
#include "io/table.h"

#include <iconv.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include "t.h"
#include "util/xalloc.h"

#define FIXTURES "tests/fixtures/"

/* ---- helpers ---- */

static int read_csv_str(const char *s, struct table *t, char **err)
{
	return table_read_csv(s, strlen(s), t, err);
}

/* The text of cell (r, c), or "(none)" when the table has no such cell. */
static const char *cell_text(const struct table *t, size_t r, size_t c)
{
	if (r >= t->nrows || c >= t->rows[r].ncells)
		return "(none)";
	return t->rows[r].cells[c].text;
}

static int cell_kind(const struct table *t, size_t r, size_t c)
{
	if (r >= t->nrows || c >= t->rows[r].ncells)
		return -1;
	return (int)t->rows[r].cells[c].kind;
}

static double cell_num(const struct table *t, size_t r, size_t c)
{
	if (r >= t->nrows || c >= t->rows[r].ncells)
		return NAN;
	return t->rows[r].cells[c].num;
}

static int row_line(const struct table *t, size_t r)
{
	return r < t->nrows ? t->rows[r].line : -1;
}

static size_t row_cells(const struct table *t, size_t r)
{
	return r < t->nrows ? t->rows[r].ncells : 0;
}

/* Reads a whole file into a buf. Returns 0 or -1. */
static int slurp(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

/* Reads a fixture with table_read. Returns its result. */
static int read_fixture(const char *name, struct table *t, char **err)
{
	struct buf b = BUF_INIT;
	char path[256];
	snprintf(path, sizeof(path), FIXTURES "%s", name);
	int rc = -1;
	if (slurp(path, &b) < 0) {
		fprintf(stderr, "cannot read %s (run from the repo root)\n",
			path);
		*err = xstrdup("fixture missing");
		memset(t, 0, sizeof(*t));
	} else {
		rc = table_read(b.data, b.len, t, err);
	}
	buf_release(&b);
	return rc;
}

/* Converts UTF-8 to GB18030 with iconv. */
static void to_gb18030(const char *utf8, struct buf *out)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	CHECK(cd != (iconv_t)-1);
	if (cd == (iconv_t)-1)
		return;
	size_t inleft = strlen(utf8);
	char *in = (char *)utf8;
	buf_grow(out, inleft * 2 + 16);
	char *o = out->data;
	size_t oleft = out->cap - 1;
	size_t r = iconv(cd, &in, &inleft, &o, &oleft);
	CHECK(r != (size_t)-1);
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	iconv_close(cd);
}

/* Builds a ZIP in memory from n (name, content) pairs. */
static void make_zip(const char *const *files, size_t n, struct buf *out)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	CHECK(src != NULL);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	CHECK(za != NULL);
	for (size_t i = 0; i < n; i++) {
		const char *content = files[2 * i + 1];
		zip_source_t *fs =
			zip_source_buffer(za, content, strlen(content), 0);
		CHECK(zip_file_add(za, files[2 * i], fs, ZIP_FL_ENC_UTF_8) >=
		      0);
	}
	CHECK(zip_close(za) == 0);
	CHECK(zip_source_open(src) == 0);
	zip_source_seek(src, 0, SEEK_END);
	zip_int64_t size = zip_source_tell(src);
	zip_source_seek(src, 0, SEEK_SET);
	buf_grow(out, (size_t)size);
	CHECK(zip_source_read(src, out->data, (zip_uint64_t)size) == size);
	out->len = (size_t)size;
	out->data[out->len] = '\0';
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
}

/* Reads one part of an XLSX file into out (for checking the writer). */
static int zip_part(const char *path, const char *name, struct buf *out)
{
	int zerr;
	zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
	if (!za)
		return -1;
	zip_file_t *zf = zip_fopen(za, name, 0);
	int rc = -1;
	if (zf) {
		char chunk[4096];
		zip_int64_t n;
		while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0)
			buf_add(out, chunk, (size_t)n);
		zip_fclose(zf);
		rc = 0;
	}
	zip_discard(za);
	return rc;
}

#define CT_XML                                                               \
	"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."            \
	"openxmlformats.org/package/2006/content-types\"/>"
#define WB_NS                                                                \
	"xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"  \
	"relationships\""
#define RELS_OPEN                                                            \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/" \
	"2006/relationships\">"
#define REL_WS                                                               \
	"http://schemas.openxmlformats.org/officeDocument/2006/"            \
	"relationships/worksheet"
#define REL_CS                                                               \
	"http://schemas.openxmlformats.org/officeDocument/2006/"            \
	"relationships/chartsheet"

/* A one-sheet workbook without package .rels whose sheet part is
 * xl/worksheets/s.xml, reached through "../xl/worksheets/s.xml". */
static void sheet_zip(const char *sheet_xml, struct buf *z)
{
	const char *files[] = {
		"[Content_Types].xml", CT_XML,
		"xl/workbook.xml",
		"<workbook " WB_NS "><sheets><sheet name=\"S\" sheetId=\"1\" "
		"r:id=\"rId1\"/></sheets></workbook>",
		"xl/_rels/workbook.xml.rels",
		RELS_OPEN "<Relationship Id=\"rId1\" Type=\"" REL_WS "\" "
		"Target=\"../xl/./worksheets/s.xml\"/></Relationships>",
		"xl/worksheets/s.xml", sheet_xml,
	};
	make_zip(files, 4, z);
}

/* Reads the sheet_zip of sheet_xml with table_read. */
static int read_sheet_xml(const char *sheet_xml, struct table *t, char **err)
{
	struct buf z = BUF_INIT;
	sheet_zip(sheet_xml, &z);
	int rc = table_read(z.data, z.len, t, err);
	buf_release(&z);
	return rc;
}

#define SHEET(rows) "<worksheet " WB_NS "><sheetData>" rows "</sheetData></worksheet>"

/* ---- CSV ---- */

TEST(csv_basic_crlf)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_csv_str("a,b,c\r\n1,2,3\r\n", &t, &err), 0);
	CHECK(err == NULL);
	CHECK_INT(t.nrows, 2);
	CHECK_STR(t.encoding, "UTF-8");
	CHECK_INT(row_line(&t, 0), 1);
	CHECK_INT(row_line(&t, 1), 2);
	CHECK_INT(row_cells(&t, 1), 3);
	CHECK_STR(cell_text(&t, 0, 2), "c");
	CHECK_STR(cell_text(&t, 1, 0), "1");
	CHECK_INT(cell_kind(&t, 1, 0), CELL_TEXT);
	CHECK(!t.date1904);
	table_release(&t);
	CHECK(t.rows == NULL && t.nrows == 0 && t.encoding == NULL);
}

TEST(csv_lf_cr_and_no_final_newline)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_csv_str("a,b\n1,2", &t, &err), 0);
	CHECK_INT(t.nrows, 2);
	CHECK_STR(cell_text(&t, 1, 1), "2");
	table_release(&t);

	/* Old Mac line ends: a lone CR ends a record too. */
	CHECK_INT(read_csv_str("x\ry\r", &t, &err), 0);
	CHECK_INT(t.nrows, 2);
	CHECK_STR(cell_text(&t, 1, 0), "y");
	CHECK_INT(row_line(&t, 1), 2);
	table_release(&t);

	CHECK_INT(read_csv_str("", &t, &err), 0);
	CHECK_INT(t.nrows, 0);
	CHECK_STR(t.encoding, "UTF-8");
	table_release(&t);
}

TEST(csv_quoting)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_csv_str("\"a,b\",\"say \"\"hi\"\"\",\"\",plain,"
			       "12\" pipe,\"q\"  ,\n",
			       &t, &err),
		  0);
	CHECK_INT(t.nrows, 1);
	CHECK_INT(row_cells(&t, 0), 7);
	CHECK_STR(cell_text(&t, 0, 0), "a,b");
	CHECK_STR(cell_text(&t, 0, 1), "say \"hi\"");
	CHECK_STR(cell_text(&t, 0, 2), "");
	CHECK_INT(cell_kind(&t, 0, 2), CELL_EMPTY);
	CHECK_STR(cell_text(&t, 0, 3), "plain");
	/* A quote inside an unquoted field is an ordinary character. */
	CHECK_STR(cell_text(&t, 0, 4), "12\" pipe");
	/* Blanks after a closing quote are ignored. */
	CHECK_STR(cell_text(&t, 0, 5), "q");
	/* A trailing comma makes a last, empty field. */
	CHECK_STR(cell_text(&t, 0, 6), "");
	table_release(&t);

	/* Text is not trimmed. */
	CHECK_INT(read_csv_str(" a , b\n", &t, &err), 0);
	CHECK_STR(cell_text(&t, 0, 0), " a ");
	CHECK_STR(cell_text(&t, 0, 1), " b");
	table_release(&t);
}

TEST(csv_embedded_newlines_and_line_numbers)
{
	struct table t;
	char *err = NULL;
	const char *s = "项目编号,备注\r\n"
			"ZS-1,\"第一行\r\n第二行\r\n第三行\"\r\n"
			"ZS-2,\"a\nb\"\n"
			"ZS-3,end\r\n";
	CHECK_INT(read_csv_str(s, &t, &err), 0);
	CHECK_INT(t.nrows, 4);
	CHECK_INT(row_line(&t, 0), 1);
	CHECK_INT(row_line(&t, 1), 2);
	CHECK_INT(row_line(&t, 2), 3);
	CHECK_INT(row_line(&t, 3), 4);
	CHECK_STR(cell_text(&t, 1, 1), "第一行\r\n第二行\r\n第三行");
	CHECK_STR(cell_text(&t, 2, 1), "a\nb");
	CHECK_STR(cell_text(&t, 3, 1), "end");
	table_release(&t);
}

TEST(csv_empty_rows_dropped)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_csv_str("a,b\n\n,\n\"\",\"\"\n  ,x\r\n\r\nc,d\n\n", &t,
			       &err),
		  0);
	CHECK_INT(t.nrows, 3);
	CHECK_INT(row_line(&t, 0), 1);
	/* A blank field is text, not empty: the row is kept. */
	CHECK_INT(row_line(&t, 1), 5);
	CHECK_STR(cell_text(&t, 1, 0), "  ");
	CHECK_INT(row_line(&t, 2), 7);
	CHECK_STR(cell_text(&t, 2, 1), "d");
	table_release(&t);

	CHECK_INT(read_csv_str("\n\n,,,\n", &t, &err), 0);
	CHECK_INT(t.nrows, 0);
	table_release(&t);
}

TEST(csv_bom)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_csv_str("\xEF\xBB\xBF项目编号,项目名称\n1,招商\n", &t,
			       &err),
		  0);
	CHECK_STR(t.encoding, "UTF-8");
	CHECK_STR(cell_text(&t, 0, 0), "项目编号");
	CHECK_STR(cell_text(&t, 1, 1), "招商");
	table_release(&t);

	/* A BOM alone. */
	CHECK_INT(read_csv_str("\xEF\xBB\xBF", &t, &err), 0);
	CHECK_INT(t.nrows, 0);
	table_release(&t);
}

TEST(csv_gb18030)
{
	struct table t;
	char *err = NULL;
	/* U+3400 and U+20000 take four bytes in GB18030. */
	const char *utf8 = "项目编号,项目名称,合同投资额（亿元）,签约日期\r\n"
			   "ZS-001,\"新能源，电池\",3.3,2024年1月15日\r\n"
			   "ZS-002,㐀𠀀€,,\r\n";
	struct buf gb = BUF_INIT;
	to_gb18030(utf8, &gb);
	CHECK(gb.len > 0 && strcmp(gb.data, utf8) != 0);
	CHECK_INT(table_read(gb.data, gb.len, &t, &err), 0);
	CHECK(err == NULL);
	CHECK_STR(t.encoding, "GB18030");
	CHECK_INT(t.nrows, 3);
	CHECK_STR(cell_text(&t, 0, 2), "合同投资额（亿元）");
	CHECK_STR(cell_text(&t, 1, 1), "新能源，电池");
	CHECK_STR(cell_text(&t, 1, 3), "2024年1月15日");
	CHECK_STR(cell_text(&t, 2, 1), "㐀𠀀€");
	CHECK_INT(cell_kind(&t, 2, 3), CELL_EMPTY);
	table_release(&t);
	buf_release(&gb);
}

TEST(csv_errors)
{
	struct table t;
	char *err = NULL;

	CHECK_INT(read_csv_str("a,b\n1,\"open\n2,3\n", &t, &err), -1);
	CHECK(err && strstr(err, "line 2") && strstr(err, "never closed"));
	CHECK(t.nrows == 0 && t.rows == NULL);
	free(err);
	err = NULL;

	/* The record number and the text line differ after a multi-line
	 * field. */
	CHECK_INT(read_csv_str("a\n\"x\ny\"\n\"open\n", &t, &err), -1);
	CHECK(err && strstr(err, "line 3 (text line 4)"));
	free(err);
	err = NULL;

	CHECK_INT(read_csv_str("h\n\"a\"b,c\n", &t, &err), -1);
	CHECK(err && strstr(err, "line 2") && strstr(err, "closing quote"));
	free(err);
	err = NULL;

	/* Neither UTF-8 nor GB18030. */
	CHECK_INT(read_csv_str("ok\nalso ok\n\xFF\xFF\n", &t, &err), -1);
	CHECK(err && strstr(err, "line 3") && strstr(err, "GB18030"));
	free(err);
	err = NULL;

	/* A GB18030 lead byte cut off at the end. */
	CHECK_INT(read_csv_str("\xCF\xEE\xC4", &t, &err), -1);
	CHECK(err != NULL);
	free(err);
	err = NULL;

	CHECK_INT(read_csv_str("\xEF\xBB\xBF"
			       "a\n\xC3\x28\n",
			       &t, &err),
		  -1);
	CHECK(err && strstr(err, "line 2") && strstr(err, "UTF-8"));
	free(err);
	err = NULL;

	CHECK_INT(table_read_csv("\xFF\xFE"
				 "a\0",
				 4, &t, &err),
		  -1);
	CHECK(err && strstr(err, "UTF-16"));
	free(err);
	err = NULL;

	CHECK_INT(table_read_csv("a\nb\0c\n", 6, &t, &err), -1);
	CHECK(err && strstr(err, "NUL") && strstr(err, "line 2"));
	free(err);
	err = NULL;

	/* An old .xls is not taken for a CSV. */
	CHECK_INT(table_read("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1xxxx", 12, &t,
			     &err),
		  -1);
	CHECK(err && strstr(err, ".xls"));
	free(err);
	table_release(&t);
}

TEST(csv_write_round_trip)
{
	const char *cells[] = { "plain", "a,b", "say \"hi\"", "line1\nline2",
				"",      NULL,  "项目",     " spaced ",
				"cr\r" };
	size_t n = sizeof(cells) / sizeof(cells[0]);
	struct buf out = BUF_INIT;
	csv_write_row(&out, cells, n);
	CHECK_STR(out.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"line1\nline2\","
			    ",,项目, spaced ,\"cr\r\"\r\n");
	csv_write_row(&out, cells, 1);
	struct table t;
	char *err = NULL;
	CHECK_INT(table_read_csv(out.data, out.len, &t, &err), 0);
	CHECK_INT(t.nrows, 2);
	CHECK_INT(row_cells(&t, 0), n);
	for (size_t i = 0; i < n && i < row_cells(&t, 0); i++)
		CHECK_STR(cell_text(&t, 0, i), cells[i] ? cells[i] : "");
	CHECK_INT(row_line(&t, 1), 2);
	CHECK_STR(cell_text(&t, 1, 0), "plain");
	table_release(&t);
	buf_release(&out);

	/* An empty record list writes just the line end. */
	csv_write_row(&out, NULL, 0);
	CHECK_STR(out.data, "\r\n");
	buf_release(&out);
}

/* ---- date serials ---- */

static void check_serial(double serial, bool d1904, int y, int m, int d)
{
	int yy = 0, mm = 0, dd = 0;
	int rc = table_serial_to_ymd(serial, d1904, &yy, &mm, &dd);
	if (rc != 0 || yy != y || mm != m || dd != d) {
		fprintf(stderr, "serial %g (%s): got %d %04d-%02d-%02d, "
				"want %04d-%02d-%02d\n",
			serial, d1904 ? "1904" : "1900", rc, yy, mm, dd, y, m,
			d);
		t_failed_checks++;
	}
}

TEST(serial_1900)
{
	int y, m, d;
	check_serial(1, false, 1900, 1, 1);
	check_serial(31, false, 1900, 1, 31);
	check_serial(59, false, 1900, 2, 28);
	CHECK_INT(table_serial_to_ymd(60, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(60.5, false, &y, &m, &d), -1);
	check_serial(61, false, 1900, 3, 1);
	check_serial(366, false, 1900, 12, 31);
	check_serial(367, false, 1901, 1, 1);
	check_serial(36525, false, 1999, 12, 31);
	check_serial(36526, false, 2000, 1, 1);
	check_serial(36585, false, 2000, 2, 29);
	check_serial(45292, false, 2024, 1, 1);
	check_serial(45292.999, false, 2024, 1, 1);
	check_serial(45306, false, 2024, 1, 15);
	check_serial(45351, false, 2024, 2, 29);
	check_serial(2958465, false, 9999, 12, 31);
	CHECK_INT(table_serial_to_ymd(2958466, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(0, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(0.5, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(-1, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(1e300, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(NAN, false, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(INFINITY, false, &y, &m, &d), -1);
}

TEST(serial_1904)
{
	int y, m, d;
	check_serial(0, true, 1904, 1, 1);
	check_serial(0.75, true, 1904, 1, 1);
	check_serial(59, true, 1904, 2, 29);
	check_serial(60, true, 1904, 3, 1);
	check_serial(43830, true, 2024, 1, 1);
	check_serial(2957003, true, 9999, 12, 31);
	CHECK_INT(table_serial_to_ymd(2957004, true, &y, &m, &d), -1);
	CHECK_INT(table_serial_to_ymd(-1, true, &y, &m, &d), -1);
	/* Past 1900-02-28 the two systems are 1462 days apart. */
	for (double s = 1462; s < 2958465; s += 9973) {
		int y1, m1, d1, y2, m2, d2;
		CHECK_INT(table_serial_to_ymd(s, false, &y1, &m1, &d1), 0);
		CHECK_INT(table_serial_to_ymd(s - 1462, true, &y2, &m2, &d2),
			  0);
		CHECK(y1 == y2 && m1 == m2 && d1 == d2);
	}
}

/* ---- XLSX: written here, read back ---- */

TEST(xlsx_write_read_back)
{
	char path[] = "/tmp/zs_test_table_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);

	char *err = NULL;
	struct xlsx_out *x = xlsx_out_open(path, "项目清单", &err);
	CHECK(x != NULL);
	if (!x) {
		free(err);
		unlink(path);
		return;
	}
	const struct xcell header[] = {
		{ XCELL_TEXT, "项目编号" },
		{ XCELL_TEXT, "项目名称" },
		{ XCELL_TEXT, "合同投资额（亿元）" },
		{ XCELL_TEXT, "签约日期" },
		{ XCELL_TEXT, "备注" },
	};
	const struct xcell r1[] = {
		{ XCELL_TEXT, "ZS-2024-001" },
		{ XCELL_TEXT, "年产10万吨新能源电池材料项目" },
		{ XCELL_NUMBER, "3.3" },
		{ XCELL_DATE, "2024-01-15" },
		{ XCELL_TEXT, "=1+1" },
	};
	const struct xcell r2[] = {
		{ XCELL_TEXT, "ZS-2024-002" },
		{ XCELL_TEXT, NULL },
		{ XCELL_NUMBER, "0.1" },
		{ XCELL_DATE, "1900-01-01" },
		{ XCELL_TEXT, "" },
	};
	const struct xcell r3[] = {
		{ XCELL_TEXT, "" },
		{ XCELL_TEXT, NULL },
	};
	const struct xcell r4[] = {
		{ XCELL_TEXT, "00123" },
		{ XCELL_NUMBER, "n/a" },
		{ XCELL_NUMBER, "-45000" },
		{ XCELL_DATE, "2024-02-30" },
	};
	xlsx_out_row(x, header, 5);
	xlsx_out_row(x, r1, 5);
	xlsx_out_row(x, r2, 5);
	xlsx_out_row(x, r3, 2);
	xlsx_out_row(x, r4, 4);
	CHECK_INT(xlsx_out_close(x, &err), 0);
	CHECK(err == NULL);

	struct buf b = BUF_INIT;
	CHECK_INT(slurp(path, &b), 0);
	struct table t;
	CHECK_INT(table_read(b.data, b.len, &t, &err), 0);
	CHECK(err == NULL);
	CHECK_STR(t.encoding, "XLSX");
	CHECK(!t.date1904);
	CHECK_INT(t.nrows, 4);
	CHECK_INT(row_line(&t, 0), 1);
	CHECK_STR(cell_text(&t, 0, 2), "合同投资额（亿元）");
	CHECK_INT(row_line(&t, 1), 2);
	CHECK_INT(cell_kind(&t, 1, 2), CELL_NUMBER);
	CHECK_STR(cell_text(&t, 1, 2), "3.3");
	CHECK(cell_num(&t, 1, 2) == 3.3);
	CHECK_INT(cell_kind(&t, 1, 3), CELL_NUMBER);
	CHECK_STR(cell_text(&t, 1, 3), "45306");
	CHECK_INT(cell_kind(&t, 1, 4), CELL_TEXT);
	CHECK_STR(cell_text(&t, 1, 4), "=1+1");
	CHECK_INT(row_line(&t, 2), 3);
	CHECK_INT(row_cells(&t, 2), 4);
	CHECK_INT(cell_kind(&t, 2, 1), CELL_EMPTY);
	CHECK_STR(cell_text(&t, 2, 2), "0.1");
	CHECK_STR(cell_text(&t, 2, 3), "1");
	/* The empty fourth row is not in the file. */
	CHECK_INT(row_line(&t, 3), 5);
	CHECK_STR(cell_text(&t, 3, 0), "00123");
	CHECK_INT(cell_kind(&t, 3, 1), CELL_TEXT);
	CHECK_STR(cell_text(&t, 3, 1), "n/a");
	CHECK_STR(cell_text(&t, 3, 2), "-45000");
	CHECK_INT(cell_kind(&t, 3, 3), CELL_TEXT);
	CHECK_STR(cell_text(&t, 3, 3), "2024-02-30");
	table_release(&t);
	buf_release(&b);

	/* The header is frozen and bold, dates have their format, columns
	 * have widths. */
	CHECK_INT(zip_part(path, "xl/worksheets/sheet1.xml", &b), 0);
	CHECK(strstr(buf_cstr(&b), "ySplit=\"1\"") != NULL);
	CHECK(strstr(buf_cstr(&b), "<cols>") != NULL);
	buf_reset(&b);
	CHECK_INT(zip_part(path, "xl/styles.xml", &b), 0);
	CHECK(strstr(buf_cstr(&b), "<b/>") != NULL);
	CHECK(strstr(buf_cstr(&b), "yyyy-mm-dd") != NULL);
	buf_release(&b);
	unlink(path);
}

TEST(xlsx_write_errors)
{
	char *err = NULL;
	CHECK(xlsx_out_open("/tmp/zs_never.xlsx", "a/b", &err) == NULL);
	CHECK(err && strstr(err, "sheet name"));
	free(err);
	err = NULL;

	struct xlsx_out *x =
		xlsx_out_open("/nonexistent-dir/zs/out.xlsx", "S", &err);
	CHECK(x != NULL);
	if (!x) {
		free(err);
		return;
	}
	const struct xcell c[] = { { XCELL_TEXT, "x" } };
	xlsx_out_row(x, c, 1);
	/* libxlsxwriter also prints an [ERROR] line of its own here. */
	CHECK_INT(xlsx_out_close(x, &err), -1);
	CHECK(err != NULL);
	free(err);
}

/* ---- XLSX: fixtures ---- */

TEST(xlsx_libreoffice_fixture)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_fixture("projects.xlsx", &t, &err), 0);
	CHECK(err == NULL);
	free(err);
	CHECK_STR(t.encoding, "XLSX");
	CHECK(!t.date1904);
	CHECK_INT(t.nrows, 4);

	CHECK_INT(row_line(&t, 0), 1);
	CHECK_STR(cell_text(&t, 0, 0), "项目编号");
	CHECK_STR(cell_text(&t, 0, 1), "项目名称");
	CHECK_STR(cell_text(&t, 0, 2), "合同投资额（亿元）");
	CHECK_STR(cell_text(&t, 0, 3), "签约日期");

	CHECK_INT(row_line(&t, 1), 2);
	CHECK_STR(cell_text(&t, 1, 0), "ZS-2024-001");
	/* LibreOffice split this shared string into rich text runs. */
	CHECK_STR(cell_text(&t, 1, 1), "年产10万吨新能源电池材料项目");
	/* =1.1*3: LibreOffice stores the value rounded to 15 digits. */
	CHECK_INT(cell_kind(&t, 1, 2), CELL_NUMBER);
	CHECK_STR(cell_text(&t, 1, 2), "3.3");
	CHECK(cell_num(&t, 1, 2) == 3.3);
	/* A date-formatted cell is a number. */
	CHECK_INT(cell_kind(&t, 1, 3), CELL_NUMBER);
	CHECK_STR(cell_text(&t, 1, 3), "45306");
	int y = 0, m = 0, d = 0;
	CHECK_INT(table_serial_to_ymd(cell_num(&t, 1, 3), t.date1904, &y, &m,
				      &d),
		  0);
	CHECK(y == 2024 && m == 1 && d == 15);
	CHECK(strncmp(cell_text(&t, 1, 4), "该项目由招商局牵头", 27) == 0);
	CHECK(strlen(cell_text(&t, 1, 4)) > 150);

	/* Row 3 was empty; row 4 has no B cell. */
	CHECK_INT(row_line(&t, 2), 4);
	CHECK_INT(row_cells(&t, 2), 5);
	CHECK_STR(cell_text(&t, 2, 0), "ZS-2024-002");
	CHECK_INT(cell_kind(&t, 2, 1), CELL_EMPTY);
	CHECK_STR(cell_text(&t, 2, 1), "");
	CHECK_STR(cell_text(&t, 2, 2), "45000");
	CHECK(cell_num(&t, 2, 2) == 45000);
	CHECK_INT(table_serial_to_ymd(cell_num(&t, 2, 3), false, &y, &m, &d),
		  0);
	CHECK(y == 2024 && m == 2 && d == 29);

	CHECK_INT(row_line(&t, 3), 5);
	CHECK_INT(cell_kind(&t, 3, 0), CELL_TEXT);
	CHECK_STR(cell_text(&t, 3, 0), "00123");
	CHECK_STR(cell_text(&t, 3, 2), "0.3");
	CHECK_STR(cell_text(&t, 3, 3), "-2.5");
	CHECK_STR(cell_text(&t, 3, 4), "1234567.89");
	table_release(&t);
}

TEST(xlsx_1904_fixture)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_fixture("dates1904.xlsx", &t, &err), 0);
	free(err);
	CHECK(t.date1904);
	CHECK_INT(t.nrows, 3);
	CHECK_STR(cell_text(&t, 0, 0), "签约日期");
	CHECK_STR(cell_text(&t, 1, 0), "0");
	CHECK_INT(cell_kind(&t, 1, 0), CELL_NUMBER);
	int y = 0, m = 0, d = 0;
	CHECK_INT(table_serial_to_ymd(cell_num(&t, 1, 0), t.date1904, &y, &m,
				      &d),
		  0);
	CHECK(y == 1904 && m == 1 && d == 1);
	CHECK_INT(table_serial_to_ymd(cell_num(&t, 2, 0), t.date1904, &y, &m,
				      &d),
		  0);
	CHECK(y == 2024 && m == 1 && d == 1);
	table_release(&t);
}

TEST(xlsx_inline_fixture)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_fixture("inline.xlsx", &t, &err), 0);
	CHECK(err == NULL);
	free(err);
	CHECK(t.date1904);
	CHECK_INT(t.nrows, 5);

	/* The first sheet in workbook order, not the one with rId1. */
	CHECK_INT(row_line(&t, 0), 1);
	CHECK_STR(cell_text(&t, 0, 0), "项目编号");
	/* Rich text runs joined, the phonetic run left out. */
	CHECK_STR(cell_text(&t, 0, 1), "项目名称");
	CHECK_STR(cell_text(&t, 0, 2), "合同投资额（亿元）");
	CHECK_STR(cell_text(&t, 0, 3), "签约日期");

	/* A row and cells without r. */
	CHECK_INT(row_line(&t, 1), 2);
	CHECK_STR(cell_text(&t, 1, 0), "ZS-001");
	CHECK_STR(cell_text(&t, 1, 1), "新能源项目");
	/* Excel stores =1.1*3 with 17 digits; it reads as the 15-digit
	 * value a spreadsheet shows, 3.3, while num keeps the exact double. */
	CHECK_INT(cell_kind(&t, 1, 2), CELL_NUMBER);
	CHECK_STR(cell_text(&t, 1, 2), "3.3");
	CHECK(cell_num(&t, 1, 2) == 1.1 * 3);
	CHECK(cell_num(&t, 1, 2) != 3.3);
	int y = 0, m = 0, d = 0;
	CHECK_INT(table_serial_to_ymd(cell_num(&t, 1, 3), t.date1904, &y, &m,
				      &d),
		  0);
	CHECK(y == 2024 && m == 1 && d == 1);

	CHECK_INT(row_line(&t, 2), 5);
	CHECK_INT(row_cells(&t, 2), 8);
	CHECK_STR(cell_text(&t, 2, 0), "公式结果");
	CHECK_INT(cell_kind(&t, 2, 0), CELL_TEXT);
	CHECK_INT(cell_kind(&t, 2, 1), CELL_EMPTY);
	CHECK_STR(cell_text(&t, 2, 2), "TRUE");
	CHECK_INT(cell_kind(&t, 2, 2), CELL_TEXT);
	CHECK_STR(cell_text(&t, 2, 3), "#DIV/0!");
	CHECK_STR(cell_text(&t, 2, 4), "0.3");
	CHECK(cell_num(&t, 2, 4) == 0.1 + 0.2);
	CHECK_STR(cell_text(&t, 2, 5), "0.0000001");
	CHECK_STR(cell_text(&t, 2, 6), "1.5e+20");
	CHECK_STR(cell_text(&t, 2, 7), "FALSE");

	/* A row without r after row 5 is row 6. */
	CHECK_INT(row_line(&t, 3), 6);
	CHECK_STR(cell_text(&t, 3, 0), "第一行\r\n第二行");
	CHECK_STR(cell_text(&t, 3, 1), "  保留空格  ");
	CHECK_STR(cell_text(&t, 3, 2), "a_x0041_b");
	CHECK_STR(cell_text(&t, 3, 3), "-0.000123");

	/* Row 7 only has empty cells; row 8 has one far cell. */
	CHECK_INT(row_line(&t, 4), 8);
	CHECK_INT(row_cells(&t, 4), 28);
	CHECK_STR(cell_text(&t, 4, 27), "远列");
	CHECK_INT(cell_kind(&t, 4, 0), CELL_EMPTY);
	CHECK_INT(cell_kind(&t, 4, 26), CELL_EMPTY);
	table_release(&t);
}

TEST(xlsx_zip_bomb)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_fixture("bomb.xlsx", &t, &err), -1);
	CHECK(err && strstr(err, "256 MiB"));
	CHECK(t.nrows == 0 && t.rows == NULL);
	free(err);
}

/* ---- XLSX: numbers ---- */

TEST(xlsx_number_text)
{
	static const struct {
		const char *v, *want;
	} cases[] = {
		{ "45000", "45000" },
		{ "45000.0", "45000" },
		{ "4.5E4", "45000" },
		{ "3.3", "3.3" },
		{ "3.2999999999999998", "3.3" },
		{ "3.3000000000000003", "3.3" },
		{ "0.30000000000000004", "0.3" },
		{ "0.1", "0.1" },
		{ "-0", "0" },
		{ "123456789012345", "123456789012345" },
		{ "1E+15", "1e+15" },
		{ "12.5", "12.5" },
		{ "0.000015", "0.000015" },
		{ "1.5E-5", "0.000015" },
		{ "1E-11", "1e-11" },
		{ "99999999.99", "99999999.99" },
		{ "1234.5678", "1234.5678" },
		{ "2.2250738585072014E-308", "2.2250738585072e-308" }, /* 15 digits */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf xml = BUF_INIT;
		buf_addf(&xml, SHEET("<row r=\"1\"><c r=\"A1\"><v>%s</v></c></row>"),
			 cases[i].v);
		struct table t;
		char *err = NULL;
		CHECK_INT(read_sheet_xml(xml.data, &t, &err), 0);
		if (err)
			fprintf(stderr, "%s\n", err);
		free(err);
		CHECK_INT(cell_kind(&t, 0, 0), CELL_NUMBER);
		CHECK_STR(cell_text(&t, 0, 0), cases[i].want);
		CHECK(cell_num(&t, 0, 0) == strtod(cases[i].v, NULL));
		table_release(&t);
		buf_release(&xml);
	}
}

/* ---- XLSX: structure and errors ---- */

TEST(xlsx_relative_target_and_no_shared_strings)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(read_sheet_xml(SHEET("<row r=\"3\"><c r=\"b3\" t=\"inlineStr\">"
				       "<is><t>小写</t></is></c></row>"),
				 &t, &err),
		  -1);
	/* Column letters are upper case. */
	CHECK(err && strstr(err, "invalid cell reference"));
	free(err);
	err = NULL;

	CHECK_INT(read_sheet_xml(SHEET("<row r=\"3\"><c r=\"B3\" t=\"inlineStr\">"
				       "<is><t>x</t></is></c><c t=\"str\"><v>"
				       "</v></c><c><v/></c></row>"),
				 &t, &err),
		  0);
	CHECK(err == NULL);
	CHECK_INT(t.nrows, 1);
	CHECK_INT(row_line(&t, 0), 3);
	CHECK_INT(row_cells(&t, 0), 2);
	CHECK_STR(cell_text(&t, 0, 1), "x");
	CHECK(!t.date1904);
	table_release(&t);
}

TEST(xlsx_first_worksheet_skips_chartsheet)
{
	const char *files[] = {
		"_rels/.rels",
		RELS_OPEN "<Relationship Id=\"rId1\" Type=\"http://schemas."
			  "openxmlformats.org/officeDocument/2006/relationships/"
			  "officeDocument\" Target=\"book/main.xml\"/>"
			  "</Relationships>",
		"book/main.xml",
		"<workbook " WB_NS "><workbookPr date1904=\"true\"/><sheets>"
		"<sheet name=\"C\" sheetId=\"1\" r:id=\"rId1\"/>"
		"<sheet name=\"W\" sheetId=\"2\" r:id=\"rId2\"/></sheets>"
		"</workbook>",
		"book/_rels/main.xml.rels",
		RELS_OPEN "<Relationship Id=\"rId1\" Type=\"" REL_CS "\" "
			  "Target=\"charts/c.xml\"/>"
			  "<Relationship Id=\"rId2\" Type=\"" REL_WS "\" "
			  "Target=\"sheets/w.xml\"/></Relationships>",
		"book/sheets/w.xml",
		SHEET("<row><c t=\"inlineStr\"><is><t>ok</t></is></c></row>"),
	};
	struct buf z = BUF_INIT;
	make_zip(files, 4, &z);
	struct table t;
	char *err = NULL;
	CHECK_INT(table_read(z.data, z.len, &t, &err), 0);
	if (err)
		fprintf(stderr, "%s\n", err);
	free(err);
	CHECK(t.date1904);
	CHECK_STR(cell_text(&t, 0, 0), "ok");
	CHECK_INT(row_line(&t, 0), 1);
	table_release(&t);
	buf_release(&z);
}

/* Expects reading sheet_xml to fail with a message containing want. */
static void check_sheet_error(const char *sheet_xml, const char *want)
{
	struct table t;
	char *err = NULL;
	int rc = read_sheet_xml(sheet_xml, &t, &err);
	if (rc != -1 || !err || !strstr(err, want) || strchr(err, '\n')) {
		fprintf(stderr, "sheet %s: rc %d, err \"%s\", want \"%s\"\n",
			sheet_xml, rc, err ? err : "(null)", want);
		t_failed_checks++;
	}
	if (rc == -1 && (t.nrows || t.rows))
		t_failed_checks++;
	if (rc == 0)
		table_release(&t);
	free(err);
}

TEST(xlsx_sheet_errors)
{
	check_sheet_error(SHEET("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v>"
				"</c></row>"),
			  "row 2: shared string \"0\" does not exist");
	check_sheet_error(SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"),
			  "invalid cell reference \"XFE1\"");
	check_sheet_error(SHEET("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"),
			  "invalid cell reference");
	check_sheet_error(SHEET("<row r=\"x\"></row>"), "invalid row number");
	check_sheet_error(SHEET("<row r=\"0\"></row>"), "invalid row number");
	check_sheet_error("<worksheet><sheetData><row></sheetData>",
			  "XML error at line 1");
	check_sheet_error("<?xml version=\"1.0\"?><!DOCTYPE worksheet ["
			  "<!ENTITY a \"aaaa\">]><worksheet/>",
			  "DTD");
}

TEST(xlsx_too_many_cells)
{
	/* One far cell per row makes 16384 cells a row once gaps are
	 * filled: a few kilobytes of XML must not take gigabytes. */
	struct buf xml = BUF_INIT;
	buf_adds(&xml, "<worksheet><sheetData>");
	for (int r = 1; r <= 400; r++)
		buf_addf(&xml, "<row r=\"%d\"><c r=\"XFD%d\"><v>1</v></c></row>",
			 r, r);
	buf_adds(&xml, "</sheetData></worksheet>");
	struct table t;
	char *err = NULL;
	CHECK_INT(read_sheet_xml(xml.data, &t, &err), -1);
	CHECK(err && strstr(err, "more than 5000000 cells"));
	free(err);
	buf_release(&xml);
}

TEST(xlsx_not_a_workbook)
{
	struct table t;
	char *err = NULL;
	CHECK_INT(table_read("PK\x03\x04garbage", 11, &t, &err), -1);
	CHECK(err && strncmp(err, "not an XLSX workbook: ", 22) == 0);
	free(err);
	err = NULL;

	const char *docx[] = { "word/document.xml", "<document/>" };
	struct buf z = BUF_INIT;
	make_zip(docx, 1, &z);
	CHECK_INT(table_read(z.data, z.len, &t, &err), -1);
	CHECK(err && strstr(err, "not an XLSX workbook: it has no "
				 "xl/workbook.xml"));
	free(err);
	err = NULL;
	buf_release(&z);

	const char *ods[] = { "mimetype",
			      "application/vnd.oasis.opendocument.spreadsheet",
			      "content.xml", "<office:document-content/>" };
	make_zip(ods, 2, &z);
	CHECK_INT(table_read(z.data, z.len, &t, &err), -1);
	CHECK(err && strstr(err, ".ods"));
	free(err);
	err = NULL;
	buf_release(&z);

	const char *nosheet[] = { "xl/workbook.xml",
				  "<workbook " WB_NS "><sheets/></workbook>" };
	make_zip(nosheet, 1, &z);
	CHECK_INT(table_read(z.data, z.len, &t, &err), -1);
	CHECK(err && strstr(err, "no worksheet"));
	free(err);
	buf_release(&z);
}

/* ---- The scanner ---- */

/* What a scan's callback saw. */
struct rec {
	struct buf rows; /* "line:cell|cell;" per row */
	int calls;
	int stop_at, stop_rc; /* return stop_rc from call number stop_at */
	size_t done[8];       /* info->done at the first calls */
	size_t total;
	bool done_ok; /* done never went back nor past total */
	bool date1904;
	const char *encoding;
	size_t rows_hint;
};

static void rec_init(struct rec *c)
{
	memset(c, 0, sizeof(*c));
	c->done_ok = true;
}

static int rec_row(void *ctx, const struct table_row *r,
		   const struct table_info *info)
{
	struct rec *c = ctx;
	size_t last = c->calls ? c->done[c->calls < 8 ? c->calls - 1 : 7] : 0;
	if (info->done < last || info->done > info->total)
		c->done_ok = false;
	if (c->calls < 8)
		c->done[c->calls] = info->done;
	else
		c->done[7] = info->done;
	c->calls++;
	c->total = info->total;
	c->date1904 = info->date1904;
	c->encoding = info->encoding;
	c->rows_hint = info->rows_hint;
	buf_addf(&c->rows, "%d:", r->line);
	for (size_t i = 0; i < r->ncells; i++)
		buf_addf(&c->rows, "%s%s", i ? "|" : "", r->cells[i].text);
	buf_addc(&c->rows, ';');
	return c->calls == c->stop_at ? c->stop_rc : 0;
}

TEST(scan_csv_order_lines_progress)
{
	/* Record 2 spans two text lines; records 3 and 5 are empty. */
	const char *s = "h1,h2\r\n"
			"a,\"x\ny\"\r\n"
			",\r\n"
			"b,c\n"
			"\n"
			"d";
	struct rec c;
	struct table_info info;
	char *err = NULL;
	rec_init(&c);
	CHECK_INT(table_scan(s, strlen(s), rec_row, &c, &info, &err), 0);
	CHECK(err == NULL);
	CHECK_STR(buf_cstr(&c.rows), "1:h1|h2;2:a|x\ny;4:b|c;6:d;");
	CHECK_INT(c.calls, 4);
	CHECK_STR(c.encoding, "UTF-8");
	CHECK(c.done_ok);
	/* done is where each record ends, its line break included. */
	CHECK_INT(c.total, strlen(s));
	CHECK_INT(c.done[0], strlen("h1,h2\r\n"));
	CHECK_INT(c.done[1], strlen("h1,h2\r\na,\"x\ny\"\r\n"));
	CHECK_INT(c.done[2], strlen(s) - strlen("\nd"));
	CHECK_INT(c.done[3], strlen(s));
	/* Six line feeds, the last line has none: an overestimate of the 6
	 * records (the quoted line break counts too). */
	CHECK_INT(c.rows_hint, 7);
	CHECK_INT(info.rows_hint, 7);
	CHECK_INT(info.done, info.total);
	CHECK_INT(info.total, strlen(s));
	buf_release(&c.rows);

	/* table_scan_csv itself, lone CRs, no info. */
	rec_init(&c);
	CHECK_INT(table_scan_csv("a\rb\r", 4, rec_row, &c, NULL, &err), 0);
	CHECK_STR(buf_cstr(&c.rows), "1:a;2:b;");
	CHECK_INT(c.rows_hint, 2);
	buf_release(&c.rows);

	/* Nothing to pass. */
	rec_init(&c);
	CHECK_INT(table_scan("\n,\n", 3, rec_row, &c, &info, &err), 0);
	CHECK_INT(c.calls, 0);
	CHECK_STR(info.encoding, "UTF-8");
	CHECK_INT(info.done, 3);
	CHECK_INT(info.total, 3);
	buf_release(&c.rows);
}

TEST(scan_csv_gb18030)
{
	struct buf gb = BUF_INIT;
	to_gb18030("项目编号,名称\n1,新能源\n", &gb);
	struct rec c;
	struct table_info info;
	char *err = NULL;
	rec_init(&c);
	CHECK_INT(table_scan(gb.data, gb.len, rec_row, &c, &info, &err), 0);
	CHECK_STR(buf_cstr(&c.rows), "1:项目编号|名称;2:1|新能源;");
	/* The encoding is known from the first row on; progress counts the
	 * converted text. */
	CHECK_STR(c.encoding, "GB18030");
	CHECK_INT(info.total, strlen("项目编号,名称\n1,新能源\n"));
	CHECK_INT(c.done[1], info.total);
	buf_release(&c.rows);
	buf_release(&gb);
}

TEST(scan_early_stop)
{
	const char *s = "h\n1\n2\n3\n";
	struct rec c;
	struct table_info info;
	char *err = NULL;
	rec_init(&c);
	c.stop_at = 2;
	c.stop_rc = 7;
	CHECK_INT(table_scan(s, strlen(s), rec_row, &c, &info, &err), 7);
	CHECK(err == NULL);
	CHECK_INT(c.calls, 2);
	CHECK_STR(buf_cstr(&c.rows), "1:h;2:1;");
	CHECK_INT(info.done, 4);
	buf_release(&c.rows);

	/* A negative value is returned as is too, told apart from a read
	 * error by err. */
	rec_init(&c);
	c.stop_at = 1;
	c.stop_rc = -1;
	CHECK_INT(table_scan(s, strlen(s), rec_row, &c, &info, &err), -1);
	CHECK(err == NULL);
	CHECK_INT(c.calls, 1);
	buf_release(&c.rows);

	/* XLSX: the parse stops at the row. */
	struct buf z = BUF_INIT;
	const char *files[] = {
		"xl/workbook.xml",
		"<workbook " WB_NS "><sheets><sheet name=\"S\" sheetId=\"1\" "
		"r:id=\"rId1\"/></sheets></workbook>",
		"xl/_rels/workbook.xml.rels",
		RELS_OPEN "<Relationship Id=\"rId1\" Type=\"" REL_WS "\" "
		"Target=\"s.xml\"/></Relationships>",
		"xl/s.xml",
		SHEET("<row r=\"1\"><c t=\"inlineStr\"><is><t>h</t></is></c></row>"
		      "<row r=\"2\"><c><v>1</v></c></row>"
		      "<row r=\"3\"><c><v>2</v></c></row>"),
	};
	make_zip(files, 3, &z);
	rec_init(&c);
	c.stop_at = 2;
	c.stop_rc = 3;
	CHECK_INT(table_scan(z.data, z.len, rec_row, &c, &info, &err), 3);
	CHECK(err == NULL);
	CHECK_INT(c.calls, 2);
	CHECK_STR(buf_cstr(&c.rows), "1:h;2:1;");
	buf_release(&c.rows);
	buf_release(&z);
}

TEST(scan_error_after_rows)
{
	/* The rows before the error are passed; the error still comes. */
	const char *s = "h\n1\n\"open\n2\n";
	struct rec c;
	char *err = NULL;
	rec_init(&c);
	CHECK_INT(table_scan(s, strlen(s), rec_row, &c, NULL, &err), -1);
	CHECK(err && strstr(err, "line 3") && strstr(err, "never closed"));
	CHECK_STR(buf_cstr(&c.rows), "1:h;2:1;");
	free(err);
	err = NULL;
	buf_release(&c.rows);

	/* Errors found on the whole file come before any row. */
	rec_init(&c);
	CHECK_INT(table_scan("h\n1\n\xFF\xFF\n", 7, rec_row, &c, NULL, &err),
		  -1);
	CHECK(err && strstr(err, "GB18030"));
	CHECK_INT(c.calls, 0);
	free(err);
	err = NULL;
	buf_release(&c.rows);

	struct buf z = BUF_INIT;
	sheet_zip(SHEET("<row r=\"1\"><c><v>1</v></c></row>"
			"<row r=\"x\"></row>"),
		  &z);
	rec_init(&c);
	CHECK_INT(table_scan(z.data, z.len, rec_row, &c, NULL, &err), -1);
	CHECK(err && strstr(err, "invalid row number"));
	CHECK_STR(buf_cstr(&c.rows), "1:1;");
	free(err);
	buf_release(&c.rows);
	buf_release(&z);
}

TEST(scan_xlsx_order_lines_progress)
{
	const char *sheet =
		"<worksheet " WB_NS "><dimension ref=\"A1:B9\"/><sheetData>"
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		"<c r=\"B1\" t=\"s\"><v>1</v></c></row>"
		"<row r=\"3\"><c r=\"B3\"><v>45306</v></c></row>"
		"<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c></row>"
		"<row r=\"9\"><c r=\"A9\"><v>1.5</v></c></row>"
		"</sheetData></worksheet>";
	const char *files[] = {
		"xl/workbook.xml",
		"<workbook " WB_NS "><workbookPr date1904=\"1\"/><sheets>"
		"<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
		"</workbook>",
		"xl/_rels/workbook.xml.rels",
		RELS_OPEN "<Relationship Id=\"rId1\" Type=\"" REL_WS "\" "
		"Target=\"worksheets/sheet1.xml\"/></Relationships>",
		"xl/worksheets/sheet1.xml", sheet,
		"xl/sharedStrings.xml",
		"<sst " WB_NS "><si><t>code</t></si><si><t>date</t></si>"
		"<si><t></t></si></sst>",
	};
	struct buf z = BUF_INIT;
	make_zip(files, 4, &z);
	struct rec c;
	struct table_info info;
	char *err = NULL;
	rec_init(&c);
	CHECK_INT(table_scan_xlsx(z.data, z.len, rec_row, &c, &info, &err), 0);
	CHECK(err == NULL);
	/* Row 4 holds only an empty string: dropped. */
	CHECK_STR(buf_cstr(&c.rows), "1:code|date;3:|45306;9:1.5;");
	/* Known from the first row on. */
	CHECK(c.date1904);
	CHECK_STR(c.encoding, "XLSX");
	CHECK_INT(c.rows_hint, 9);
	/* Progress counts the worksheet's XML, up to each row's end. */
	CHECK(c.done_ok);
	CHECK_INT(c.total, strlen(sheet));
	const char *end1 = strstr(sheet, "</row>") + 6;
	CHECK_INT(c.done[0], (size_t)(end1 - sheet));
	CHECK_INT(c.done[2], strstr(sheet, "</sheetData>") - sheet);
	CHECK_INT(info.done, strlen(sheet));
	CHECK_INT(info.total, strlen(sheet));
	buf_release(&c.rows);
	buf_release(&z);

	/* Without a <dimension> the estimate is unknown. */
	sheet_zip(SHEET("<row r=\"2\"><c><v>1</v></c></row>"), &z);
	rec_init(&c);
	CHECK_INT(table_scan(z.data, z.len, rec_row, &c, &info, &err), 0);
	CHECK_STR(buf_cstr(&c.rows), "2:1;");
	CHECK_INT(info.rows_hint, 0);
	CHECK_INT(c.done[0], info.total - strlen("</sheetData></worksheet>"));
	buf_release(&c.rows);
	buf_release(&z);
}

/* What count_row() saw. */
struct count {
	int rows, bad;
	size_t last_done;
};

/* Counts rows and checks each against its record number (see
 * scan_many_rows). */
static int count_row(void *ctx, const struct table_row *r,
		     const struct table_info *info)
{
	struct count *n = ctx;
	char want[32];
	n->rows++;
	n->last_done = info->done;
	if (r->line == 1)
		return 0;
	snprintf(want, sizeof(want), "ZS-%d", r->line);
	if (r->line % 10 == 0 || r->ncells != 2 ||
	    strcmp(r->cells[0].text, want) != 0)
		n->bad++;
	return 0;
}

TEST(scan_many_rows)
{
	/* 200,000 records, one in ten empty; the reader passes the others
	 * with their record numbers. */
	struct buf csv = BUF_INIT;
	buf_adds(&csv, "code,name\n");
	for (int i = 2; i <= 200000; i++) {
		if (i % 10 == 0)
			buf_adds(&csv, ",\n");
		else
			buf_addf(&csv, "ZS-%d,\"name, %d\"\n", i, i);
	}
	struct count n = { 0, 0, 0 };
	struct table_info info;
	char *err = NULL;
	CHECK_INT(table_scan(csv.data, csv.len, count_row, &n, &info, &err), 0);
	CHECK_INT(n.rows, 200000 - 20000);
	CHECK_INT(n.bad, 0);
	/* The last record (",\n") is empty. */
	CHECK_INT(n.last_done, csv.len - 2);
	CHECK_INT(info.done, csv.len);
	CHECK_INT(info.rows_hint, 200000);
	buf_release(&csv);
}

int main(void)
{
	RUN(csv_basic_crlf);
	RUN(csv_lf_cr_and_no_final_newline);
	RUN(csv_quoting);
	RUN(csv_embedded_newlines_and_line_numbers);
	RUN(csv_empty_rows_dropped);
	RUN(csv_bom);
	RUN(csv_gb18030);
	RUN(csv_errors);
	RUN(csv_write_round_trip);
	RUN(serial_1900);
	RUN(serial_1904);
	RUN(xlsx_write_read_back);
	RUN(xlsx_write_errors);
	RUN(xlsx_libreoffice_fixture);
	RUN(xlsx_1904_fixture);
	RUN(xlsx_inline_fixture);
	RUN(xlsx_zip_bomb);
	RUN(xlsx_number_text);
	RUN(xlsx_relative_target_and_no_shared_strings);
	RUN(xlsx_first_worksheet_skips_chartsheet);
	RUN(xlsx_sheet_errors);
	RUN(xlsx_too_many_cells);
	RUN(xlsx_not_a_workbook);
	RUN(scan_csv_order_lines_progress);
	RUN(scan_csv_gb18030);
	RUN(scan_early_stop);
	RUN(scan_error_after_rows);
	RUN(scan_xlsx_order_lines_progress);
	RUN(scan_many_rows);
	return T_DONE();
}
