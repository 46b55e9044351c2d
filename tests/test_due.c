/*
 * test_due.c — deadlines («Сроки»): every deadline written in the five seed
 * documents, parsed and dated in its document's period; every kind in a
 * calendar and an academic year; short periods; wrapping ranges; ordering
 * and duplicates; rejection of nonsense with its message; misuse.
 *
 * Expected occurrences are written "start/due start/due ...", or for long
 * recurrences "#count first last".
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "due.h"
#include "period.h"

typedef struct {
    const char *doc;    /* seed document, or what the case is about */
    const char *text;   /* the deadline as written (whitespace made single) */
    const char *period; /* the period it is dated in */
    due_kind kind;
    const char *desc; /* due_describe */
    const char *occ;  /* expected occurrences */
} due_case;

#define ONCE  DUE_ONCE
#define REC   DUE_RECURRING
#define OPEN  DUE_OPEN
#define MIXED DUE_MIXED

/* ---------------------------------------------------------------------------
 * Every deadline of the seed documents, verbatim. Document 001 swaps the
 * «Ответственные» and «Сроки» columns after its first section; 003 has
 * control points and a plan; 004's «Срок реализации программы» is the
 * passport row. Empty cells are the "" case.
 */
static const due_case SEEDS[] = {
    /* 000 — Sergokala, plan for 2023 */
    {"000", "Январь", "2023", ONCE, "январь", "2023-01-01/2023-01-31"},
    {"000", "По отдельном у графику", "2023", OPEN, "до конца периода",
     "2023-01-01/2023-12-31"},
    {"000", "январь В течение года", "2023", MIXED, "январь; до конца периода",
     "2023-01-01/2023-01-31 2023-01-01/2023-12-31"},
    {"000", "В течение года", "2023", OPEN, "до конца периода", "2023-01-01/2023-12-31"},
    {"000", "Февраль-март", "2023", ONCE, "февраль–март", "2023-02-01/2023-03-31"},
    {"000", "По полугодиям", "2023", REC, "по полугодиям",
     "2023-01-01/2023-06-30 2023-07-01/2023-12-31"},
    {"000", "Февраль", "2023", ONCE, "февраль", "2023-02-01/2023-02-28"},
    {"000", "Март", "2023", ONCE, "март", "2023-03-01/2023-03-31"},
    {"000", "Апрель", "2023", ONCE, "апрель", "2023-04-01/2023-04-30"},
    {"000", "По отдельном у графику, по результатам диагностики тестирований.", "2023",
     OPEN, "до конца периода", "2023-01-01/2023-12-31"},
    {"000", "Март-апрель", "2023", ONCE, "март–апрель", "2023-03-01/2023-04-30"},
    {"000", "Февраль-май", "2023", ONCE, "февраль–май", "2023-02-01/2023-05-31"},
    {"000", "Январь, февраль", "2023", ONCE, "январь, февраль",
     "2023-01-01/2023-01-31 2023-02-01/2023-02-28"},
    {"000", "Февраль, апрель", "2023", ONCE, "февраль, апрель",
     "2023-02-01/2023-02-28 2023-04-01/2023-04-30"},
    {"000", "Февраль Март Апрель", "2023", ONCE, "февраль, март, апрель",
     "2023-02-01/2023-02-28 2023-03-01/2023-03-31 2023-04-01/2023-04-30"},
    {"000", "Ежемесячно (по плану школ)", "2023", REC, "ежемесячно",
     "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31"},
    {"000", "", "2023", OPEN, "до конца периода", "2023-01-01/2023-12-31"},
    {"000",
     "Март Первая неделя – русский язык, вторая неделя – мат-ка, третья, четвертая "
     "недели – "
     "предметы по выбору",
     "2023", ONCE,
     "1-я неделя марта, 2-я неделя марта, 3-я неделя марта, 4-я неделя марта",
     "2023-03-01/2023-03-07 2023-03-08/2023-03-14 2023-03-15/2023-03-21 "
     "2023-03-22/2023-03-31"},
    {"000", "Февраль-апрель", "2023", ONCE, "февраль–апрель", "2023-02-01/2023-04-30"},
    {"000", "В течение года, 1 раз в месяц", "2023", REC, "ежемесячно",
     "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31"},

    /* 001 — Kedrovy, roadmap for 2020/21 (ordered 16.06.2020). A yearless
       August is the month of preparation before the academic year (due.h):
       August 2020, as the document means. */
    {"001", "август", "2020/21", ONCE, "август", "2020-08-01/2020-08-31"},
    {"001", "в течение учебного года", "2020/21", OPEN, "до конца периода",
     "2020-09-01/2021-08-31"},
    {"001", "В течение учебного года", "2020/21", OPEN, "до конца периода",
     "2020-09-01/2021-08-31"},
    {"001", "сентябрь", "2020/21", ONCE, "сентябрь", "2020-09-01/2020-09-30"},
    {"001", "октябрь", "2020/21", ONCE, "октябрь", "2020-10-01/2020-10-31"},
    {"001", "Август 2020", "2020/21", ONCE, "август 2020", "2020-08-01/2020-08-31"},
    {"001", "Сентябрь 2020", "2020/21", ONCE, "сентябрь 2020", "2020-09-01/2020-09-30"},
    {"001", "Май 2020", "2020/21", ONCE, "май 2020", "2020-05-01/2020-05-31"},
    {"001", "сентябрь 2020", "2020/21", ONCE, "сентябрь 2020", "2020-09-01/2020-09-30"},
    {"001", "октябрь 2020 март, апрель, май 2021", "2020/21", ONCE,
     "октябрь 2020, март 2021, апрель 2021, май 2021",
     "2020-10-01/2020-10-31 2021-03-01/2021-03-31 2021-04-01/2021-04-30 "
     "2021-05-01/2021-05-31"},
    {"001", "Август 2021", "2020/21", ONCE, "август 2021", "2021-08-01/2021-08-31"},
    {"001", "систематически", "2020/21", OPEN, "до конца периода",
     "2020-09-01/2021-08-31"},
    {"001", "постоянно", "2020/21", OPEN, "до конца периода", "2020-09-01/2021-08-31"},

    /* 002 — Turochak, roadmap for 2023/24 */
    {"002", "Март 2023", "2023/24", ONCE, "март 2023", "2023-03-01/2023-03-31"},
    {"002", "Март-апрель 2023", "2023/24", ONCE, "март–апрель 2023",
     "2023-03-01/2023-04-30"},
    {"002", "Февраль 2023", "2023/24", ONCE, "февраль 2023", "2023-02-01/2023-02-28"},
    {"002", "Еженедельно (либо по согласованию) до конца реализации Программы", "2023/24",
     REC, "еженедельно", "#39 2023-08-28/2023-09-03 2024-05-20/2024-05-26"},
    {"002", "март 2023", "2023/24", ONCE, "март 2023", "2023-03-01/2023-03-31"},
    {"002", "Апрель 2023", "2023/24", ONCE, "апрель 2023", "2023-04-01/2023-04-30"},
    {"002", "Март – май 2023", "2023/24", ONCE, "март–май 2023", "2023-03-01/2023-05-31"},
    {"002", "Июнь-август 2023", "2023/24", ONCE, "июнь–август 2023",
     "2023-06-01/2023-08-31"},
    {"002", "Июнь 2023", "2023/24", ONCE, "июнь 2023", "2023-06-01/2023-06-30"},
    {"002", "Июль –август 2023", "2023/24", ONCE, "июль–август 2023",
     "2023-07-01/2023-08-31"},
    {"002", "Ежемесячно в течение срока реализации Проекта", "2023/24", REC, "ежемесячно",
     "2023-09-01/2023-09-30 2023-10-01/2023-10-31 2023-11-01/2023-11-30 "
     "2023-12-01/2023-12-31 2024-01-01/2024-01-31 2024-02-01/2024-02-29 "
     "2024-03-01/2024-03-31 2024-04-01/2024-04-30 2024-05-01/2024-05-31"},
    {"002", "В течение срока реализации Проекта", "2023/24", OPEN, "до конца периода",
     "2023-09-01/2024-08-31"},
    {"002", "Сентябрь 2023 – март 2024", "2023/24", ONCE, "сентябрь 2023 – март 2024",
     "2023-09-01/2024-03-31"},
    {"002", "Сентябрь-ноябрь 2023", "2023/24", ONCE, "сентябрь–ноябрь 2023",
     "2023-09-01/2023-11-30"},
    {"002", "Август 2022, 2023", "2023/24", ONCE, "август 2022, август 2023",
     "2022-08-01/2022-08-31 2023-08-01/2023-08-31"},
    {"002", "В течение срока реализации Проекта, раз в четверть", "2023/24", REC,
     "раз в четверть",
     "2023-09-01/2023-10-31 2023-11-01/2023-12-31 2024-01-01/2024-03-31 "
     "2024-04-01/2024-05-31"},
    {"002", "В течение срока реализации программы", "2023/24", OPEN, "до конца периода",
     "2023-09-01/2024-08-31"},

    /* 003 — Georgievsk, control points and plan for 2023-2024 */
    {"003", "Декабрь, май отчетного года", "2023", ONCE, "декабрь, май",
     "2023-05-01/2023-05-31 2023-12-01/2023-12-31"},
    {"003", "Декабрь, май отчетного года", "2023/24", ONCE, "декабрь, май",
     "2023-12-01/2023-12-31 2024-05-01/2024-05-31"},
    {"003", "Май-июнь текущего года", "2023", ONCE, "май–июнь", "2023-05-01/2023-06-30"},
    {"003", "Май-июнь текущего года", "2023/24", ONCE, "май–июнь",
     "2024-05-01/2024-06-30"},
    {"003", "По отдельному графику", "2023", OPEN, "до конца периода",
     "2023-01-01/2023-12-31"},
    {"003", "Конец 1,2 полугодия", "2023", REC, "по полугодиям",
     "2023-01-01/2023-06-30 2023-07-01/2023-12-31"},
    {"003", "Конец 1,2 полугодия", "2023/24", REC, "по полугодиям",
     "2023-09-01/2023-12-31 2024-01-01/2024-05-31"},
    {"003", "Август-сентябрь", "2023", ONCE, "август–сентябрь", "2023-08-01/2023-09-30"},
    /* August of 2023/24 is the preparatory August 2023, before September */
    {"003", "Август-сентябрь", "2023/24", ONCE, "август–сентябрь",
     "2023-08-01/2023-09-30"},
    {"003", "В соответствии с план-графиком курсовой переподготовки СКИРО ПК и ПРО",
     "2023", OPEN, "до конца периода", "2023-01-01/2023-12-31"},
    {"003", "В течение учебного года с проведением мониторинга каждую четверть.",
     "2023/24", REC, "раз в четверть",
     "2023-09-01/2023-10-31 2023-11-01/2023-12-31 2024-01-01/2024-03-31 "
     "2024-04-01/2024-05-31"},
    {"003", "В течение учебного года с проведением мониторинга каждую четверть.", "2023",
     REC, "раз в четверть",
     "2023-01-01/2023-03-31 2023-04-01/2023-05-31 2023-09-01/2023-10-31 "
     "2023-11-01/2023-12-31"},
    {"003", "Май 2023 г., февраль 2024 г.", "2023", ONCE, "май 2023, февраль 2024",
     "2023-05-01/2023-05-31 2024-02-01/2024-02-29"},
    {"003", "2023г.", "2023", ONCE, "2023 г.", "2023-01-01/2023-12-31"},
    {"003", "2023 г.", "2023", ONCE, "2023 г.", "2023-01-01/2023-12-31"},
    {"003", "2024 г.", "2023", ONCE, "2024 г.", "2024-01-01/2024-12-31"},
    {"003", "май 2023, 2024 г.г.", "2023", ONCE, "май 2023, май 2024",
     "2023-05-01/2023-05-31 2024-05-01/2024-05-31"},
    {"003", "август 2023", "2023", ONCE, "август 2023", "2023-08-01/2023-08-31"},
    {"003", "Март 2023 г.", "2023", ONCE, "март 2023", "2023-03-01/2023-03-31"},
    {"003", "Не реже 1 раза в четверть", "2023", REC, "раз в четверть",
     "2023-01-01/2023-03-31 2023-04-01/2023-05-31 2023-09-01/2023-10-31 "
     "2023-11-01/2023-12-31"},
    {"003", "Не реже 1 раза в четверть", "2023/24", REC, "раз в четверть",
     "2023-09-01/2023-10-31 2023-11-01/2023-12-31 2024-01-01/2024-03-31 "
     "2024-04-01/2024-05-31"},
    {"003", "Сентябрь 2023, 2024 г.г.", "2023", ONCE, "сентябрь 2023, сентябрь 2024",
     "2023-09-01/2023-09-30 2024-09-01/2024-09-30"},
    {"003", "1 раз в месяц", "2023", REC, "ежемесячно",
     "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31"},
    {"003", "1 раз в месяц", "2023/24", REC, "ежемесячно",
     "#9 2023-09-01/2023-09-30 2024-05-01/2024-05-31"},
    {"003", "По итогам полугодия и учебного года", "2023/24", REC,
     "по полугодиям, по итогам учебного года",
     "2023-09-01/2023-12-31 2024-01-01/2024-05-31 2023-09-01/2024-08-31"},
    {"003", "По итогам полугодия и учебного года", "2023", REC,
     "по полугодиям, по итогам учебного года",
     "2023-01-01/2023-06-30 2022-09-01/2023-08-31 2023-07-01/2023-12-31"},
    {"003", "Февраль- Апрель 2023, 2024 г.г.", "2023", ONCE,
     "февраль–апрель 2023, февраль–апрель 2024",
     "2023-02-01/2023-04-30 2024-02-01/2024-04-30"},
    {"003", "Август-сентябрь 2023, 2024 г.г.", "2023", ONCE,
     "август–сентябрь 2023, август–сентябрь 2024",
     "2023-08-01/2023-09-30 2024-08-01/2024-09-30"},
    {"003", "Июнь-август", "2023", ONCE, "июнь–август", "2023-06-01/2023-08-31"},
    {"003", "Июнь-август", "2023/24", ONCE, "июнь–август", "2024-06-01/2024-08-31"},
    {"003", "Март, декабрь", "2023", ONCE, "март, декабрь",
     "2023-03-01/2023-03-31 2023-12-01/2023-12-31"},
    {"003", "Март, декабрь", "2023/24", ONCE, "март, декабрь",
     "2023-12-01/2023-12-31 2024-03-01/2024-03-31"},
    {"003", "В течение года (по отдельному графику)", "2023", OPEN, "до конца периода",
     "2023-01-01/2023-12-31"},
    {"003", "Октябрь-февраль", "2023", ONCE, "октябрь–февраль", "2023-10-01/2024-02-29"},
    {"003", "Октябрь-февраль", "2023/24", ONCE, "октябрь–февраль",
     "2023-10-01/2024-02-29"},
    {"003", "декабрь, апрель", "2023", ONCE, "декабрь, апрель",
     "2023-04-01/2023-04-30 2023-12-01/2023-12-31"},
    {"003", "декабрь, апрель", "2023/24", ONCE, "декабрь, апрель",
     "2023-12-01/2023-12-31 2024-04-01/2024-04-30"},
    {"003", "Март 2023 г. -декабрь 2024 г.", "2023", ONCE, "март 2023 – декабрь 2024",
     "2023-03-01/2024-12-31"},
    {"003", "Июль 2023 г. Май 2024 г.", "2023", ONCE, "июль 2023, май 2024",
     "2023-07-01/2023-07-31 2024-05-01/2024-05-31"},
    {"003", "Август 2023 г., август 2024 г.", "2023", ONCE, "август 2023, август 2024",
     "2023-08-01/2023-08-31 2024-08-01/2024-08-31"},
    {"003", "Октябрь 2023 г., Январь 2024 г.", "2023", ONCE, "октябрь 2023, январь 2024",
     "2023-10-01/2023-10-31 2024-01-01/2024-01-31"},

    /* 004 — Malokarachaevsky, programme 2021-2024 */
    {"004", "15.01.2021 г- 31.05.2024 г.", "2021/22", ONCE, "15.01.2021–31.05.2024",
     "2021-01-15/2024-05-31"},
    {"004", "январь - май 2021", "2021/22", ONCE, "январь–май 2021",
     "2021-01-01/2021-05-31"},
    {"004", "Ежегодно", "2021/22", REC, "ежегодно", "2021-09-01/2022-08-31"},
    {"004", "Ежегодно", "2021", REC, "ежегодно", "2021-01-01/2021-12-31"},
    {"004", "Постоянно", "2021/22", OPEN, "до конца периода", "2021-09-01/2022-08-31"},
    {"004", "Ежегодно (по плану мониторинговых исследований)", "2021/22", REC, "ежегодно",
     "2021-09-01/2022-08-31"},
    {"004", "По плану работы отдела образования, 2- 3 раза в год", "2021/22", OPEN,
     "2–3 раза в год", "2021-09-01/2022-08-31"},
    {"004", "2 раза в год (январь, июнь)", "2021/22", REC, "2 раза в год: январь, июнь",
     "2022-01-01/2022-01-31 2022-06-01/2022-06-30"},
    {"004", "2 раза в год (январь, июнь)", "2021", REC, "2 раза в год: январь, июнь",
     "2021-01-01/2021-01-31 2021-06-01/2021-06-30"},
    {"004", "2 раза в год (декабрь, май)", "2021/22", REC, "2 раза в год: декабрь, май",
     "2021-12-01/2021-12-31 2022-05-01/2022-05-31"},
    {"004", "2 раза в год (декабрь, май)", "2021", REC, "2 раза в год: декабрь, май",
     "2021-05-01/2021-05-31 2021-12-01/2021-12-31"},
    {"004", "постоянно", "2021", OPEN, "до конца периода", "2021-01-01/2021-12-31"},
    {"004", "В течение года", "2021/22", OPEN, "до конца периода",
     "2021-09-01/2022-08-31"},
    {"004", "Ежегодно, март-апрель", "2021/22", REC, "ежегодно: март–апрель",
     "2022-03-01/2022-04-30"},
    {"004", "Ежегодно, март-апрель", "2021", REC, "ежегодно: март–апрель",
     "2021-03-01/2021-04-30"},
    {"004", "По плану работы", "2021/22", OPEN, "до конца периода",
     "2021-09-01/2022-08-31"},
    {"004", "Ежегодно, по плану", "2021/22", REC, "ежегодно", "2021-09-01/2022-08-31"},
    {"004", "В течение года по заявке руководителей школ", "2021/22", OPEN,
     "до конца периода", "2021-09-01/2022-08-31"},
    {"004", "ноябрь 2021 года", "2021/22", ONCE, "ноябрь 2021", "2021-11-01/2021-11-30"},
    {"004", "Ежегодно, сентябрь", "2021/22", REC, "ежегодно: сентябрь",
     "2021-09-01/2021-09-30"},
    {"004", "Осенние, весенние каникулы", "2021/22", ONCE,
     "осенние каникулы, весенние каникулы",
     "2021-10-28/2021-11-05 2022-03-23/2022-03-31"},
    {"004", "Осенние, весенние каникулы", "2021", ONCE,
     "осенние каникулы, весенние каникулы",
     "2021-03-23/2021-03-31 2021-10-28/2021-11-05"},
};

/* Distinct texts in SEEDS: what the five documents write in their deadline
   columns (000: 20 with the empty cell, 001: 13, 002: 17, 003: 29, 004: 17),
   less "В течение года" and "постоянно", which two documents share. The
   columns were collected again by a script from the seed files (000 «Срок
   реализации», 001 and 002 «Сроки» / «Сроки исполнения», 003 the control
   points, the plan and the mechanisms, 004 the plan and the passport's
   «Срок реализации программы»): the same 94 texts. Deadlines written in the
   orders' own text ("в срок до 15 января 2023 года") are not in a column
   and not read. */
#define SEED_TEXTS 94

/* Other forms: the issue's, the stages of 004, and variants of the grammar. */
static const due_case FORMS[] = {
    {"issue", "2023-01", "2023", ONCE, "январь 2023", "2023-01-01/2023-01-31"},
    {"issue", "2023-05-15", "2023", ONCE, "15.05.2023", "2023-05-15/2023-05-15"},
    {"issue", "15.05.2023", "2023", ONCE, "15.05.2023", "2023-05-15/2023-05-15"},
    {"issue", "15 мая 2023", "2023", ONCE, "15.05.2023", "2023-05-15/2023-05-15"},
    {"issue", "еженедельно", "2023", REC, "еженедельно",
     "#53 2022-12-26/2023-01-01 2023-12-25/2023-12-31"},
    {"issue", "в течение года", "2023", OPEN, "до конца периода",
     "2023-01-01/2023-12-31"},
    {"issue", "по отдельному графику", "2023/24", OPEN, "до конца периода",
     "2023-09-01/2024-08-31"},
    {"004 stages", "15.01.-31.05. 2021", "2021", ONCE, "15.01.2021–31.05.2021",
     "2021-01-15/2021-05-31"},
    {"004 stages", "01.09.2021 - 31.12.2023", "2021/22", ONCE, "01.09.2021–31.12.2023",
     "2021-09-01/2023-12-31"},
    {"004 stages", "01.01.2024- 31.05.2024", "2021/22", ONCE, "01.01.2024–31.05.2024",
     "2024-01-01/2024-05-31"},
    {"004 title", "2021 - 2024гг", "2021", ONCE, "2021–2024 гг.",
     "2021-01-01/2024-12-31"},
    {"003 title", "2023-2024 г.г.", "2023", ONCE, "2023–2024 гг.",
     "2023-01-01/2024-12-31"},
    {"line break", "Февраль- \nАпрель 2023, 2024 г.г.", "2023", ONCE,
     "февраль–апрель 2023, февраль–апрель 2024",
     "2023-02-01/2023-04-30 2024-02-01/2024-04-30"},
    {"line break", "Май 2023 г., \n\nфевраль 2024 г.", "2023", ONCE,
     "май 2023, февраль 2024", "2023-05-01/2023-05-31 2024-02-01/2024-02-29"},
    {"case", "ДЕКАБРЬ, Май", "2023", ONCE, "декабрь, май",
     "2023-05-01/2023-05-31 2023-12-01/2023-12-31"},
    {"em dash", "март — май 2023", "2023", ONCE, "март–май 2023",
     "2023-03-01/2023-05-31"},
    {"en dash", "Март–апрель 2023", "2023", ONCE, "март–апрель 2023",
     "2023-03-01/2023-04-30"},
    {"prepositional", "в марте 2023 года", "2023", ONCE, "март 2023",
     "2023-03-01/2023-03-31"},
    {"prepositional", "в декабре", "2023/24", ONCE, "декабрь", "2023-12-01/2023-12-31"},
    {"genitive", "15 мая", "2023/24", ONCE, "15 мая", "2024-05-15/2024-05-15"},
    {"гг.", "май 2023, 2024 гг.", "2023", ONCE, "май 2023, май 2024",
     "2023-05-01/2023-05-31 2024-05-01/2024-05-31"},
    {"и", "декабрь и май 2024", "2023", ONCE, "декабрь 2024, май 2024",
     "2024-05-01/2024-05-31 2024-12-01/2024-12-31"},
};

/* Renders occurrences; summary: "#n first last". Caller frees. */
static char *render(const due_occurrence *o, size_t n, int summary)
{
    size_t cap = 32 + n * 22;
    char *s = malloc(cap);
    size_t len = 0;
    char a[11], b[11];
    assert_non_null(s);
    s[0] = '\0';
    if (summary) {
        len += (size_t)snprintf(s + len, cap - len, "#%zu", n);
    }
    for (size_t k = 0; k < n; k++) {
        if (summary && k != 0 && k != n - 1) {
            continue;
        }
        shnor_date_format(o[k].start, a, sizeof a);
        shnor_date_format(o[k].due, b, sizeof b);
        len += (size_t)snprintf(s + len, cap - len, "%s%s/%s", len ? " " : "", a, b);
    }
    return s;
}

/* Occurrences are sorted by deadline, then start, without duplicates. */
static void assert_sorted(const due_occurrence *o, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        assert_true(o[k - 1].due < o[k].due ||
                    (o[k - 1].due == o[k].due && o[k - 1].start < o[k].start));
    }
    for (size_t k = 0; k < n; k++) {
        assert_true(o[k].start <= o[k].due);
    }
}

static shnor_period period(const char *text)
{
    shnor_period p;
    char err[256];
    if (shnor_period_parse(text, &p, err, sizeof err) != SHNOR_OK) {
        fail_msg("period %s: %s", text, err);
    }
    return p;
}

/* Parses text and expands it in the period; the rendered result (caller frees). */
static char *dates(const char *text, const char *per, int summary)
{
    due_spec *d = NULL;
    due_occurrence *o = NULL;
    size_t n = 0;
    char err[1024];
    if (due_parse(text, &d, err, sizeof err) != SHNOR_OK) {
        fail_msg("\"%s\": %s", text, err);
    }
    assert_int_equal(due_expand(d, period(per), &o, &n), SHNOR_OK);
    assert_sorted(o, n);
    assert_true((n == 0) == (o == NULL));
    char *s = render(o, n, summary);
    free(o);
    due_free(d);
    return s;
}

static void check_case(const due_case *c)
{
    due_spec *d = NULL;
    char err[1024];
    if (due_parse(c->text, &d, err, sizeof err) != SHNOR_OK) {
        fail_msg("%s \"%s\": %s", c->doc, c->text, err);
    }
    int kind = due_get_kind(d);
    char *desc = strdup(due_describe(d));
    assert_non_null(desc);
    due_free(d);
    char *got = dates(c->text, c->period, c->occ[0] == '#');
    if (kind != (int)c->kind || strcmp(desc, c->desc) != 0 || strcmp(got, c->occ) != 0) {
        fail_msg(
            "%s \"%s\" in %s:\n  kind %d, expected %d\n  desc \"%s\", expected \"%s\"\n"
            "  got      %s\n  expected %s",
            c->doc, c->text, c->period, kind, (int)c->kind, desc, c->desc, got, c->occ);
    }
    free(desc);
    free(got);
}

static void expect_dates(const char *text, const char *per, const char *want)
{
    char *got = dates(text, per, want[0] == '#');
    if (strcmp(got, want) != 0) {
        fail_msg("\"%s\" in %s:\n  got      %s\n  expected %s", text, per, got, want);
    }
    free(got);
}

static void expect_desc(const char *text, due_kind kind, const char *want)
{
    due_spec *d = NULL;
    char err[1024];
    if (due_parse(text, &d, err, sizeof err) != SHNOR_OK) {
        fail_msg("\"%s\": %s", text, err);
    }
    assert_int_equal(due_get_kind(d), kind);
    assert_string_equal(due_describe(d), want);
    due_free(d);
}

/* The message names the whole text and the part not understood. */
static void expect_reject(const char *text, const char *part, const char *why)
{
    due_spec *d = (due_spec *)&d; /* must be reset to NULL */
    char err[1024];
    assert_int_equal(due_parse(text, &d, err, sizeof err), SHNOR_INPUT);
    assert_null(d);
    char whole[300], quoted[300];
    snprintf(whole, sizeof whole, "deadline \"%s\": ", text);
    snprintf(quoted, sizeof quoted, ": \"%s\" %s", part, why);
    if (strncmp(err, whole, strlen(whole)) != 0 || !strstr(err, quoted) ||
        !strstr(err, "accepted: ") || !strstr(err, "раз в четверть")) {
        fail_msg("\"%s\": message\n  %s\nshould start with %s and contain %s", text, err,
                 whole, quoted);
    }
}

/* ---------------------------------------------------------------------------
 * Tests.
 */
static void test_due_seed_deadlines(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof SEEDS / sizeof SEEDS[0]; k++) {
        check_case(&SEEDS[k]);
    }
    /* the table holds each document's texts: count the distinct ones */
    size_t distinct = 0;
    for (size_t k = 0; k < sizeof SEEDS / sizeof SEEDS[0]; k++) {
        size_t j = 0;
        while (j < k && strcmp(SEEDS[j].text, SEEDS[k].text) != 0) {
            j++;
        }
        distinct += j == k;
    }
    assert_int_equal(distinct, SEED_TEXTS);
}

static void test_due_other_forms(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof FORMS / sizeof FORMS[0]; k++) {
        check_case(&FORMS[k]);
    }
}

/* Each kind of item in a calendar year and in an academic year. */
static void test_due_kinds_in_calendar_and_academic_year(void **state)
{
    (void)state;
    static const due_case cases[] = {
        {"once", "январь", "2023", ONCE, "январь", "2023-01-01/2023-01-31"},
        {"once", "январь", "2023/24", ONCE, "январь", "2024-01-01/2024-01-31"},
        {"once", "сентябрь", "2023/24", ONCE, "сентябрь", "2023-09-01/2023-09-30"},
        {"once", "Май 2020", "2023", ONCE, "май 2020", "2020-05-01/2020-05-31"},
        {"weekly", "еженедельно", "2023/24", REC, "еженедельно",
         "#39 2023-08-28/2023-09-03 2024-05-20/2024-05-26"},
        {"weekly", "каждую неделю", "2024", REC, "еженедельно",
         "#52 2024-01-01/2024-01-07 2024-12-23/2024-12-29"},
        {"monthly", "ежемесячно", "2023", REC, "ежемесячно",
         "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31"},
        {"monthly", "ежемесячно", "2023/24", REC, "ежемесячно",
         "#9 2023-09-01/2023-09-30 2024-05-01/2024-05-31"},
        {"terms", "раз в четверть", "2023", REC, "раз в четверть",
         "2023-01-01/2023-03-31 2023-04-01/2023-05-31 2023-09-01/2023-10-31 "
         "2023-11-01/2023-12-31"},
        {"terms", "по четвертям", "2023/24", REC, "раз в четверть",
         "2023-09-01/2023-10-31 2023-11-01/2023-12-31 2024-01-01/2024-03-31 "
         "2024-04-01/2024-05-31"},
        {"quarters", "ежеквартально", "2023", REC, "ежеквартально",
         "2023-01-01/2023-03-31 2023-04-01/2023-06-30 2023-07-01/2023-09-30 "
         "2023-10-01/2023-12-31"},
        {"quarters", "раз в квартал", "2023/24", REC, "ежеквартально",
         "2023-07-01/2023-09-30 2023-10-01/2023-12-31 2024-01-01/2024-03-31 "
         "2024-04-01/2024-06-30"},
        {"halves", "по полугодиям", "2023/24", REC, "по полугодиям",
         "2023-09-01/2023-12-31 2024-01-01/2024-05-31"},
        {"halves", "раз в полугодие", "2023", REC, "по полугодиям",
         "2023-01-01/2023-06-30 2023-07-01/2023-12-31"},
        {"half", "Конец 1 полугодия", "2023/24", REC, "конец 1-го полугодия",
         "2023-09-01/2023-12-31"},
        {"half", "в конце 2-го полугодия", "2023", REC, "конец 2-го полугодия",
         "2023-07-01/2023-12-31"},
        {"term", "конец 1, 3 четверти", "2023/24", REC, "конец 1-й, 3-й четверти",
         "2023-09-01/2023-10-31 2024-01-01/2024-03-31"},
        {"yearly", "ежегодно", "2023", REC, "ежегодно", "2023-01-01/2023-12-31"},
        {"yearly", "1 раз в год", "2023/24", REC, "ежегодно", "2023-09-01/2024-08-31"},
        {"academic", "по итогам учебного года", "2023", REC, "по итогам учебного года",
         "2022-09-01/2023-08-31"},
        {"academic", "конец учебного года", "2023/24", REC, "по итогам учебного года",
         "2023-09-01/2024-08-31"},
        {"named", "2 раза в год (январь, июнь)", "2023/24", REC,
         "2 раза в год: январь, июнь", "2024-01-01/2024-01-31 2024-06-01/2024-06-30"},
        {"named", "ежегодно: 15 мая", "2023", REC, "ежегодно: 15 мая",
         "2023-05-15/2023-05-15"},
        {"count", "2 раза в месяц", "2023", REC, "2 раза в месяц",
         "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31"},
        {"open", "постоянно", "2023", OPEN, "до конца периода", "2023-01-01/2023-12-31"},
        {"open", "постоянно", "2023/24", OPEN, "до конца периода",
         "2023-09-01/2024-08-31"},
        {"open", "5 раз в год", "2023", OPEN, "5 раз в год", "2023-01-01/2023-12-31"},
        {"mixed", "январь В течение года", "2023/24", MIXED, "январь; до конца периода",
         "2024-01-01/2024-01-31 2023-09-01/2024-08-31"},
        {"mixed", "ежемесячно, январь", "2023", MIXED, "ежемесячно; январь",
         "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31"},
        {"mixed", "Сентябрь 2023, ежеквартально", "2023/24", MIXED,
         "сентябрь 2023; ежеквартально",
         "2023-07-01/2023-09-30 2023-09-01/2023-09-30 2023-10-01/2023-12-31 "
         "2024-01-01/2024-03-31 2024-04-01/2024-06-30"},
        {"holidays", "осенние, зимние, весенние и летние каникулы", "2023/24", ONCE,
         "осенние каникулы, зимние каникулы, весенние каникулы, летние каникулы",
         "2023-10-28/2023-11-05 2023-12-30/2024-01-08 2024-03-23/2024-03-31 "
         "2024-06-01/2024-08-31"},
        {"holidays", "в зимние каникулы", "2023", ONCE, "зимние каникулы",
         "2023-12-30/2024-01-08"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        check_case(&cases[k]);
    }
}

/* A month without a year outside a short period yields nothing. */
static void test_due_short_periods(void **state)
{
    (void)state;
    expect_dates("январь", "2023-H2", "");
    expect_dates("январь", "2023-H1", "2023-01-01/2023-01-31");
    expect_dates("январь", "2023-01", "2023-01-01/2023-01-31");
    expect_dates("январь", "2023-Q2", "");
    expect_dates("Февраль-апрель", "2023-Q2", "");
    expect_dates("Октябрь-февраль", "2023-Q4", "2023-10-01/2024-02-29");
    expect_dates("Октябрь-февраль", "2023-Q1", "");
    expect_dates("Март Первая неделя", "2023-03", "2023-03-01/2023-03-07");
    expect_dates("Осенние каникулы", "2023-10", "2023-10-28/2023-11-05");
    expect_dates("Осенние каникулы", "2023-11", "");
    /* dated texts stay as written */
    expect_dates("Май 2023", "2023-H2", "2023-05-01/2023-05-31");
    /* cycles: the windows due in the period */
    expect_dates("еженедельно", "2023-05",
                 "#4 2023-05-01/2023-05-07 2023-05-22/2023-05-28");
    expect_dates("ежемесячно", "2023-Q2",
                 "2023-04-01/2023-04-30 2023-05-01/2023-05-31 2023-06-01/2023-06-30");
    expect_dates("по полугодиям", "2023-Q2", "2023-01-01/2023-06-30");
    expect_dates("по полугодиям", "2023-Q1", "");
    expect_dates("ежегодно", "2023-H1", "");
    expect_dates("ежегодно", "2023-H2", "2023-01-01/2023-12-31");
    expect_dates("раз в четверть", "2023-H2",
                 "2023-09-01/2023-10-31 2023-11-01/2023-12-31");
    expect_dates("2 раза в год (январь, июнь)", "2023-H2", "");
    expect_dates("2 раза в год (январь, июнь)", "2023-Q2", "2023-06-01/2023-06-30");
    expect_dates("в течение года", "2023-Q3", "2023-07-01/2023-09-30");
}

/* A range whose end month precedes its start wraps into the next year. */
static void test_due_wrapping_ranges(void **state)
{
    (void)state;
    expect_dates("Октябрь-февраль", "2022", "2022-10-01/2023-02-28");
    expect_dates("ноябрь – январь", "2021/22", "2021-11-01/2022-01-31");
    expect_dates("Сентябрь-май 2024", "2020", "2023-09-01/2024-05-31");
    expect_dates("сентябрь 2023 – январь", "2020", "2023-09-01/2024-01-31");
    expect_dates("15 декабря – 15 января", "2023", "2023-12-15/2024-01-15");
    expect_dates("зимние каникулы", "2024/25", "2024-12-30/2025-01-08");
    expect_desc("Сентябрь-май 2024", DUE_ONCE, "сентябрь 2023 – май 2024");
    expect_desc("15 декабря – 15 января", DUE_ONCE, "15 декабря – 15 января");
    /* a day a short February lacks is its last day */
    expect_dates("29 февраля", "2023", "2023-02-28/2023-02-28");
    expect_dates("29 февраля", "2024", "2024-02-29/2024-02-29");
}

static void test_due_sorted_and_deduplicated(void **state)
{
    (void)state;
    expect_dates("май, январь, май", "2023",
                 "2023-01-01/2023-01-31 2023-05-01/2023-05-31");
    expect_desc("май, январь, май", DUE_ONCE, "май, январь");
    expect_dates("Декабрь 2023, январь 2023", "2023",
                 "2023-01-01/2023-01-31 2023-12-01/2023-12-31");
    expect_dates("Июнь 2023, июнь 2023", "2023", "2023-06-01/2023-06-30");
    expect_desc("ежемесячно, 1 раз в месяц, каждый месяц", DUE_RECURRING, "ежемесячно");
    expect_desc("по полугодиям, конец 1,2 полугодия", DUE_RECURRING, "по полугодиям");
    expect_desc("постоянно, систематически", DUE_OPEN, "до конца периода");
    /* the same window from two items counts once; equal deadlines order by start */
    expect_dates("ежемесячно, январь", "2023",
                 "#12 2023-01-01/2023-01-31 2023-12-01/2023-12-31");
    expect_dates("по полугодиям, ежегодно", "2023",
                 "2023-01-01/2023-06-30 2023-01-01/2023-12-31 2023-07-01/2023-12-31");
    expect_dates("Март 2023, март 2023 г. – март 2023", "2023", "2023-03-01/2023-03-31");
}

/* A year after a run of months dates them all; other years do not. */
static void test_due_years_of_a_run(void **state)
{
    (void)state;
    expect_dates("март, апрель и май 2021", "2023",
                 "2021-03-01/2021-03-31 2021-04-01/2021-04-30 2021-05-01/2021-05-31");
    /* a year inside a numeric date or on its own leaves the months alone */
    expect_dates("январь, 15.05.2023", "2023/24",
                 "2023-05-15/2023-05-15 2024-01-01/2024-01-31");
    expect_dates("январь, 2023 г.", "2024",
                 "2023-01-01/2023-12-31 2024-01-01/2024-01-31");
    /* a full stop ends the run */
    expect_dates("Декабрь. Май 2023", "2021",
                 "2021-12-01/2021-12-31 2023-05-01/2023-05-31");
    /* more years repeat the whole run */
    expect_dates("октябрь, ноябрь 2021, 2022 гг.", "2021",
                 "2021-10-01/2021-10-31 2021-11-01/2021-11-30 2022-10-01/2022-10-31 "
                 "2022-11-01/2022-11-30");
    /* months of a recurrence with a remark after them */
    expect_dates("2 раза в год (январь, июнь; по плану)", "2023",
                 "2023-01-01/2023-01-31 2023-06-01/2023-06-30");
    /* a year after a recurrence's months is not theirs: they stay yearly
       (found by fuzzing: the year reached back and broke invariant 3) */
    expect_dates("ежегодно, май 7.5. 2021", "2023",
                 "2021-05-07/2021-05-07 2023-05-01/2023-05-31");
    expect_dates("раз в год (май 7.5. 2021)", "2024",
                 "2021-05-07/2021-05-07 2024-05-01/2024-05-31");
}

/* Weeks of a month: days 1-7, 8-14, 15-21, 22 to the end. */
static void test_due_weeks_of_a_month(void **state)
{
    (void)state;
    expect_dates("февраль, четвёртая неделя", "2024", "2024-02-22/2024-02-29");
    expect_dates("Февраль четвертая неделя", "2023", "2023-02-22/2023-02-28");
    expect_dates("Апрель 2023 вторую неделю", "2020", "2023-04-08/2023-04-14");
    expect_desc("Апрель 2023 вторую неделю", DUE_ONCE, "2-я неделя апреля 2023");
    expect_dates("сентябрь первая и третья недели", "2023/24",
                 "2023-09-01/2023-09-07 2023-09-15/2023-09-21");
}

static void test_due_rejects_nonsense(void **state)
{
    (void)state;
    expect_reject("когда-нибудь", "когда-нибудь", "is not understood");
    expect_reject("13 месяц", "13 месяц", "is not understood");
    expect_reject("32 января 2023", "32 января 2023", "is not a calendar day");
    expect_reject("февраль-", "февраль-", "is a range without an end");
    expect_reject("ежечасно", "ежечасно", "is not understood");
    /* the part quoted is the part not understood */
    expect_reject("Январь, когда-нибудь", "когда-нибудь", "is not understood");
    expect_reject("Ежегодно (по мере необходимости)", "по мере необходимости",
                  "is not understood");
    expect_reject("29 февраля 2023", "29 февраля 2023", "is not a calendar day");
    expect_reject("31.04.2023", "31.04.2023", "is not a calendar day");
    expect_reject("2023-13", "2023-13", "is not a calendar day or month");
    expect_reject("Март 2024 – январь 2023", "Март 2024 – январь 2023",
                  "ends before it starts");
    expect_reject("3 раза в год (январь, июнь)", "3 раза в год (январь, июнь)",
                  "names another number of months");
    expect_reject("Ежегодно, сентябрь 2023", "сентябрь 2023", "names a year");
    expect_reject("Первая неделя", "Первая неделя", "names a week without its month");
    expect_reject("март первая", "март первая", "names weeks without the word");
    expect_reject("Март первая неделя – апрель", "Март первая неделя –",
                  "has a dash after the week but no label");
    expect_reject("отчетного года", "отчетного года", "says \"of the period\"");
    expect_reject("Март 2023 отчетного года", "Март 2023 отчетного года", "has a year");
    expect_reject("Осенние", "Осенние", "names holidays without");
    expect_reject("(январь", "(январь", "opens a parenthesis");
    expect_reject("январь)", ")", "closes a parenthesis");
    expect_reject("- март", "- март", "has a dash with nothing before it");
    expect_reject("март-апрель-май", "-май", "has a dash with nothing before it");
    expect_reject("По плану ежечасно", "ежечасно", "is not understood");
    expect_reject("(((((январь)))))", "(январь", "nests parentheses too deep");
    expect_reject("раз в день", "раз в день", "needs a unit");
    expect_reject("конец 3 полугодия", "конец 3 полугодия", "names no such half");
    expect_reject("по итогам недели", "недели", "is not a period");
    expect_reject("январь 2023 – 2024", "январь 2023 – 2024", "joins a year and a month");
    expect_reject("Постоянно •", "•", "is not a character a deadline uses");

    /* invalid UTF-8: quoted as '?', the message stays UTF-8 */
    due_spec *d = NULL;
    char err[1024];
    assert_int_equal(due_parse("март \xff", &d, err, sizeof err), SHNOR_INPUT);
    assert_null(d);
    assert_non_null(strstr(err, "deadline \"март ?\": \"?\" is not UTF-8 (byte 10)"));
    assert_null(strchr(err, '\xff'));
}

/* A cut message never ends inside a Russian letter; a long text is shortened. */
static void test_due_error_buffer(void **state)
{
    (void)state;
    due_spec *d = NULL;
    for (size_t len = 1; len < 60; len++) {
        char err[64];
        memset(err, 'x', sizeof err);
        assert_int_equal(due_parse("когда-нибудь", &d, err, len), SHNOR_INPUT);
        size_t n = strlen(err);
        assert_true(n < len);
        /* a complete UTF-8 sequence ends the string */
        size_t k = n;
        while (k > 0 && ((unsigned char)err[k - 1] & 0xC0) == 0x80) {
            k--;
        }
        if (k > 0 && ((unsigned char)err[k - 1] & 0x80)) {
            size_t need = ((unsigned char)err[k - 1] & 0xE0) == 0xC0 ? 2 : 3;
            assert_int_equal(n - (k - 1), need);
        }
    }
    assert_int_equal(due_parse("когда-нибудь", &d, NULL, 0), SHNOR_INPUT);
    char big[2000], err[1024];
    big[0] = '\0';
    for (int k = 0; k < 50; k++) {
        strcat(big, "январь ");
    }
    strcat(big, "потом");
    assert_int_equal(due_parse(big, &d, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "...\""));
    assert_non_null(strstr(err, "\"потом\" is not understood"));
    /* a deadline is a table cell: a long text is refused before reading */
    char huge[2100];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_int_equal(due_parse(huge, &d, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "is longer than 2000 bytes"));
    assert_int_equal(due_parse("((((январь))))", &d, err, sizeof err), SHNOR_OK);
    due_free(d);
}

static void test_due_misuse_and_empty(void **state)
{
    (void)state;
    due_spec *d = NULL;
    due_occurrence *o = (due_occurrence *)&o;
    size_t n = 99;
    char err[256];
    assert_int_equal(due_parse(NULL, &d, err, sizeof err), SHNOR_OK);
    assert_int_equal(due_get_kind(d), DUE_OPEN);
    assert_string_equal(due_describe(d), "до конца периода");
    shnor_period none = {0, 0, 0};
    assert_int_equal(due_expand(d, none, &o, &n), SHNOR_MISUSE);
    assert_null(o);
    assert_int_equal(n, 0);
    shnor_period bad = {SHNOR_PERIOD_MONTH, 2023, 13};
    assert_int_equal(due_expand(d, bad, &o, &n), SHNOR_MISUSE);
    assert_int_equal(due_expand(NULL, period("2023"), &o, &n), SHNOR_MISUSE);
    assert_int_equal(due_expand(d, period("2023"), NULL, &n), SHNOR_MISUSE);
    assert_int_equal(due_expand(d, period("2023"), &o, &n), SHNOR_OK);
    assert_int_equal(n, 1);
    free(o);
    due_free(d);
    assert_int_equal(due_parse("январь", NULL, err, sizeof err), SHNOR_MISUSE);
    assert_int_equal(due_parse(" \t\n", &d, err, sizeof err), SHNOR_OK);
    assert_int_equal(due_get_kind(d), DUE_OPEN);
    due_free(d);
    due_free(NULL);
    assert_string_equal(due_describe(NULL), "");
    /* nothing dated but comments: open */
    expect_desc("по согласованию", DUE_OPEN, "до конца периода");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_seed_deadlines),
        cmocka_unit_test(test_due_other_forms),
        cmocka_unit_test(test_due_kinds_in_calendar_and_academic_year),
        cmocka_unit_test(test_due_short_periods),
        cmocka_unit_test(test_due_wrapping_ranges),
        cmocka_unit_test(test_due_sorted_and_deduplicated),
        cmocka_unit_test(test_due_years_of_a_run),
        cmocka_unit_test(test_due_weeks_of_a_month),
        cmocka_unit_test(test_due_rejects_nonsense),
        cmocka_unit_test(test_due_error_buffer),
        cmocka_unit_test(test_due_misuse_and_empty),
    };
    return cmocka_run_group_tests_name("due", tests, NULL, NULL);
}
