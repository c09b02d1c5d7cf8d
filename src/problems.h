/*
 * problems: the grades of a problem and its automatic escalation.
 */
#ifndef ZS_PROBLEMS_H
#define ZS_PROBLEMS_H

#include <stdint.h>

#include "auth.h"
#include "store/store.h"

/* 县级, 市直部门, 市领导, 省级 for county, department, city_leader,
 * province; NULL for anything else. */
const char *problem_grade_name(const char *grade);

/* Escalates every unsolved problem past its deadline one grade at a time
 * (each step gives a new deadline, problems.escalation_days later, default
 * 15) until its deadline is not past or it is at the provincial grade; each
 * step is logged on the problem and audited. In one write transaction, so
 * that several servers escalate each problem once. Returns how many steps
 * were taken, or -1 (store_error()). */
int problems_escalate(struct store *s, int32_t today);

#endif
