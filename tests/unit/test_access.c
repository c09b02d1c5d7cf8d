/*
 * Unit tests of the access model's pure parts: role permissions, region
 * scopes, the password policy and hashing, session secrets, the audit hash,
 * evidence typing, and the clock behind sessions.
 */
#include <stdlib.h>

#include "audit.h"
#include "auth.h"
#include "domain/date.h"
#include "evidence.h"
#include "t.h"

TEST(test_role_permissions)
{
	/* 三员分立: the admin manages, the auditor audits, neither touches data. */
	CHECK(role_can(ROLE_ADMIN, PERM_USERS));
	CHECK(!role_can(ROLE_ADMIN, PERM_AUDIT));
	CHECK(!role_can(ROLE_ADMIN, PERM_PROJECT_READ));
	CHECK(!role_can(ROLE_ADMIN, PERM_PROJECT_WRITE));
	CHECK(role_can(ROLE_AUDITOR, PERM_AUDIT));
	CHECK(!role_can(ROLE_AUDITOR, PERM_REFDATA));
	CHECK(!role_can(ROLE_AUDITOR, PERM_FIGURES));
	CHECK(!role_can(ROLE_AUDITOR, PERM_USERS));
	CHECK(role_can(ROLE_BUREAU, PERM_PROJECT_WRITE));
	CHECK(role_can(ROLE_REGION, PERM_PROJECT_WRITE));
	CHECK(!role_can(ROLE_CHAIN, PERM_PROJECT_WRITE));
	CHECK(role_can(ROLE_CHAIN, PERM_PROJECT_READ));
	CHECK(!role_can(ROLE_SUPERVISOR, PERM_PROJECT_WRITE));
	CHECK(!role_can(ROLE_LEADER, PERM_PROJECT_WRITE));
	CHECK(role_can(ROLE_LEADER, PERM_FIGURES));
	for (int r = 0; r < ROLE__COUNT; r++) {
		CHECK(role_can((enum role)r, PERM_PUBLIC));
		CHECK(role_can((enum role)r, PERM_SESSION));
		CHECK(!role_can((enum role)r, PERM__COUNT));
	}
	CHECK_INT(role_find("region"), ROLE_REGION);
	CHECK_INT(role_find("root"), -1);
	CHECK_INT(role_find(NULL), -1);
}

TEST(test_region_scope)
{
	/* 湖北省(1) > 襄阳市(2) > 襄城区(3) > 某街道(5); 樊城区(4) */
	struct region regions[] = {
		{.id = 1, .parent_id = 0}, {.id = 2, .parent_id = 1}, {.id = 3, .parent_id = 2},
		{.id = 4, .parent_id = 2}, {.id = 5, .parent_id = 3},
	};
	struct refdata rd = {.regions = regions, .nregions = 5};
	struct principal op = {.role = ROLE_REGION, .region_id = 3};
	CHECK(principal_sees_region(&op, &rd, 3));
	CHECK(principal_sees_region(&op, &rd, 5));
	CHECK(!principal_sees_region(&op, &rd, 4));
	CHECK(!principal_sees_region(&op, &rd, 2));
	CHECK(!principal_sees_region(&op, &rd, 99));
	struct principal city = {.role = ROLE_REGION, .region_id = 2};
	CHECK(principal_sees_region(&city, &rd, 4));
	struct principal bureau = {.role = ROLE_BUREAU};
	CHECK(principal_sees_region(&bureau, &rd, 4));
	struct principal chain = {.role = ROLE_CHAIN, .chain_id = 7};
	CHECK(principal_sees_project(&chain, &rd, 4, 7));
	CHECK(!principal_sees_project(&chain, &rd, 4, 8));
	CHECK(!principal_sees_project(&chain, &rd, 4, 0));
}

TEST(test_password_policy)
{
	struct auth_config c = {.password_min_length = 12, .password_classes = 3};
	struct buf why = BUF_INIT;
	CHECK(password_check(&c, "Abcdefghij1!", "zhang", &why) == 0);
	CHECK(password_check(&c, "Abcdefgh1!", "zhang", &why) != 0); /* 10 characters */
	buf_reset(&why);
	CHECK(password_check(&c, "abcdefghijkl1", "zhang", &why) != 0); /* two classes */
	buf_reset(&why);
	CHECK(password_check(&c, "Xzhang-2025-Ab", "zhang", &why) != 0); /* holds the name */
	CHECK(strstr(buf_cstr(&why), "用户名") != NULL);
	buf_reset(&why);
	/* Length counts characters, not bytes. */
	CHECK(password_check(&c, "招商引资密码很安全Ab1", NULL, &why) == 0);
	CHECK(password_check(&c, "招商Ab1!", NULL, &why) != 0);
	buf_release(&why);
	char gen[17];
	for (int i = 0; i < 50; i++) {
		password_generate(gen);
		struct buf w = BUF_INIT;
		struct auth_config strict = {.password_min_length = 16, .password_classes = 4};
		CHECK(strlen(gen) == 16);
		CHECK(password_check(&strict, gen, NULL, &w) == 0);
		buf_release(&w);
	}
}

TEST(test_password_hash)
{
	char h[128];
	CHECK(password_hash("Correct-Horse-42", h) == 0);
	CHECK(strncmp(h, "$argon2id$", 10) == 0);
	/* At least 19 MiB and 2 passes. */
	CHECK(strstr(h, "m=19456,t=2") != NULL);
	CHECK(password_verify(h, "Correct-Horse-42"));
	CHECK(!password_verify(h, "correct-horse-42"));
	CHECK(!password_verify(NULL, "x"));
	char h2[128];
	CHECK(password_hash("Correct-Horse-42", h2) == 0);
	CHECK(strcmp(h, h2) != 0); /* salted */
}

TEST(test_tokens)
{
	char a[33], b[33], ha[65], csrf[65];
	token_new(a);
	token_new(b);
	CHECK(strlen(a) == 32 && strcmp(a, b) != 0);
	token_hash("abc", ha);
	CHECK_STR(ha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	csrf_token(a, csrf);
	CHECK(strlen(csrf) == 64 && strcmp(csrf, a) != 0);
	char again[65];
	csrf_token(a, again);
	CHECK(token_equal(csrf, again));
	csrf_token(b, again);
	CHECK(!token_equal(csrf, again));
	CHECK(!token_equal("abc", "abcd"));
}

TEST(test_audit_hash)
{
	struct audit_row r = {.id = 1, .at = "2025-06-30T01:00:00Z", .username = "tester",
			      .address = "127.0.0.1", .action = "project.update", .entity = "project",
			      .entity_key = "X-1", .old_value = "{\"amount_yi\":\"1\"}",
			      .new_value = "{\"amount_yi\":\"2\"}",
			      .prev_hash = "0000000000000000000000000000000000000000000000000000000000000000"};
	char h1[65], h2[65];
	audit_row_hash(&r, h1);
	audit_row_hash(&r, h2);
	CHECK_STR(h1, h2);
	/* The serialisation every stored chain was made with: SHA-256 of
	 * "64:000…0;1:1;20:2025-06-30T01:00:00Z;6:tester;…" (NULL as "-;"). */
	CHECK_STR(h1, "de22145a2be2624c1a1de785cf1462f9207c279678d5a7fcf439d265cbbbc413");
	r.address = NULL;
	audit_row_hash(&r, h2);
	CHECK_STR(h2, "d130b434ec23db7f0a4cd3daab98bfec8baf1df7541e7f90a2cfdacb266f72d3");
	r.address = "127.0.0.1";
	/* Every field counts, and NULL differs from "". */
	const char **fields[] = {&r.at, &r.username, &r.address, &r.action, &r.entity,
				 &r.entity_key, &r.old_value, &r.new_value, &r.prev_hash};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *saved = *fields[i];
		*fields[i] = "";
		audit_row_hash(&r, h2);
		CHECK(strcmp(h1, h2) != 0);
		*fields[i] = NULL;
		char h3[65];
		audit_row_hash(&r, h3);
		CHECK(strcmp(h2, h3) != 0);
		*fields[i] = saved;
	}
	r.id = 2;
	audit_row_hash(&r, h2);
	CHECK(strcmp(h1, h2) != 0);
	/* A longer id and lengths of two digits, as written: "7:1234567;". */
	r.id = 1234567;
	audit_row_hash(&r, h2);
	CHECK_STR(h2, "a4c7d539177266dbe8c2fc6c8105cd28296ca4178d4c7390bbc65e962e2a3acb");
	/* Moving text between fields changes the hash (length-prefixed). */
	r.id = 1;
	r.username = "teste";
	r.address = "r127.0.0.1";
	audit_row_hash(&r, h2);
	CHECK(strcmp(h1, h2) != 0);
}

TEST(test_evidence_types)
{
	const struct evidence_type *t = evidence_sniff("%PDF-1.7\n", 9);
	CHECK(t && strcmp(t->content_type, "application/pdf") == 0);
	CHECK(evidence_name_fits("执照.PDF", t));
	CHECK(!evidence_name_fits("执照.png", t));
	CHECK(evidence_name_fits("执照", t));
	t = evidence_sniff("\xFF\xD8\xFF\xE0", 4);
	CHECK(t && strcmp(t->ext, "jpg") == 0);
	CHECK(evidence_name_fits("a.jpeg", t) && evidence_name_fits("a.JPG", t));
	CHECK(evidence_sniff("\x89PNG\r\n\x1a\n", 8) != NULL);
	CHECK(evidence_sniff("<html>", 6) == NULL);
	CHECK(evidence_sniff("%PDF", 4) == NULL);
	CHECK(evidence_sniff("", 0) == NULL);
	CHECK(evidence_kind_valid("permit") && !evidence_kind_valid("selfie") &&
	      !evidence_kind_valid(NULL));
}

TEST(test_clock)
{
	int64_t t;
	char s[21];
	setenv("ZHAOSHANG_NOW", "2025-06-30", 1);
	CHECK(date_now_epoch(&t, NULL) == 0);
	date_format_utc(t, s);
	CHECK_STR(s, "2025-06-29T16:00:00Z"); /* midnight in Beijing */
	setenv("ZHAOSHANG_NOW", "2025-06-30T09:15:30+08:00", 1);
	CHECK(date_now_epoch(&t, NULL) == 0);
	date_format_utc(t, s);
	CHECK_STR(s, "2025-06-30T01:15:30Z");
	setenv("ZHAOSHANG_NOW", "2025-06-30T09:15:30", 1); /* no offset: Beijing */
	CHECK(date_now_epoch(&t, NULL) == 0);
	date_format_utc(t, s);
	CHECK_STR(s, "2025-06-30T01:15:30Z");
	setenv("ZHAOSHANG_NOW", "2025-06-30T23:59:59Z", 1);
	CHECK(date_now_epoch(&t, NULL) == 0);
	int32_t day;
	CHECK(date_today(&day, NULL) == 0);
	char d[11];
	date_format(day, d);
	CHECK_STR(d, "2025-07-01"); /* already the next day in Beijing */
	setenv("ZHAOSHANG_NOW", "yesterday", 1);
	const char *err = NULL;
	CHECK(date_now_epoch(&t, &err) != 0 && err);
	unsetenv("ZHAOSHANG_NOW");
	date_format_utc(0, s);
	CHECK_STR(s, "1970-01-01T00:00:00Z");
	date_format_utc(-1, s);
	CHECK_STR(s, "1969-12-31T23:59:59Z");
}

int main(void)
{
	RUN(test_role_permissions);
	RUN(test_region_scope);
	RUN(test_password_policy);
	RUN(test_password_hash);
	RUN(test_tokens);
	RUN(test_audit_hash);
	RUN(test_evidence_types);
	RUN(test_clock);
	return T_DONE();
}
