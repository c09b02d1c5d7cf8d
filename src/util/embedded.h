/*
 * embedded: files compiled into the binary (migrations, web assets).
 * The table is generated at build time by tools/embed.c.
 */
#ifndef ZS_EMBEDDED_H
#define ZS_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *path; /* as in the source tree, e.g. "web/dist/index.html" */
	const unsigned char *data; /* followed by a NUL not counted in size */
	size_t size;
};

extern const struct embedded_file embedded_files[];

/* The file with this exact path, or NULL. */
const struct embedded_file *embedded_find(const char *path);

#endif
