/*
 * export: projects as CSV or XLSX (see export.h).
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "domain/interchange.h"
#include "io/table.h"
#include "projects.h"
#include "refdata.h"

struct export_ctx {
	const struct refdata *rd;
	enum export_format fmt;
	struct buf *out;
	struct xlsx_out *x;
};

static bool is_date_col(int i)
{
	return i == IX_SIGNED_ON || i == IX_REGISTERED_ON || i == IX_STARTED_ON ||
	       i == IX_INCLUDED_ON || i == IX_PRODUCING_ON || i == IX_TERMINATED_ON;
}

static int export_row(void *ctx, struct project *p)
{
	struct export_ctx *c = ctx;
	char *cells[IX__COUNT];
	refdata_project_names(c->rd, p);
	projects_cells(p, cells);
	if (c->fmt == EXPORT_CSV) {
		csv_write_row(c->out, (const char *const *)cells, IX__COUNT);
	} else {
		struct xcell xc[IX__COUNT];
		for (int i = 0; i < IX__COUNT; i++) {
			xc[i].text = cells[i];
			xc[i].kind = XCELL_TEXT;
			if (i == IX_AMOUNT_YI)
				xc[i].kind = XCELL_NUMBER;
			else if (is_date_col(i) && cells[i][0] >= '0' && cells[i][0] <= '9')
				xc[i].kind = XCELL_DATE;
		}
		xlsx_out_row(c->x, xc, IX__COUNT);
	}
	projects_cells_free(cells);
	return 0;
}

int export_run(struct store *s, const struct refdata *rd, const struct project_filter *f,
	       enum export_format fmt, bool english_keys, struct buf *out, const char *xlsx_path,
	       struct buf *err)
{
	struct export_ctx c = {rd, fmt, out, NULL};
	const char *header[IX__COUNT];
	for (int i = 0; i < IX__COUNT; i++)
		header[i] = english_keys ? ix_columns[i].key : ix_columns[i].title;
	if (fmt == EXPORT_CSV) {
		buf_adds(out, "\xEF\xBB\xBF");
		csv_write_row(out, header, IX__COUNT);
	} else {
		char *e = NULL;
		c.x = xlsx_out_open(xlsx_path, "项目", &e);
		if (!c.x) {
			buf_adds(err, e ? e : "无法创建 XLSX 文件");
			free(e);
			return -1;
		}
		struct xcell xc[IX__COUNT];
		for (int i = 0; i < IX__COUNT; i++)
			xc[i] = (struct xcell){XCELL_TEXT, header[i]};
		xlsx_out_row(c.x, xc, IX__COUNT);
	}
	struct project_filter g = *f;
	g.limit = 0;
	g.after_value = NULL;
	int rc = store_project_list(s, &g, export_row, &c);
	if (rc != 0)
		buf_adds(err, store_error(s));
	if (c.x) {
		char *e = NULL;
		if (xlsx_out_close(c.x, &e) != 0 && rc == 0) {
			buf_adds(err, e ? e : "写入 XLSX 失败");
			rc = -1;
		}
		free(e);
	}
	return rc;
}
