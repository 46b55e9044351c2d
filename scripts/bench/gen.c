/*
 * gen.c — a synthetic national dataset for `make bench`, deterministic.
 *
 *   build/bench/gen DIR SCHOOLS [FIRST_YEAR [YEARS]]
 *
 * writes DIR/indicators.csv (50 indicators), DIR/schools.csv (SCHOOLS schools
 * in 85 regions and their municipalities, about 17 schools each) and
 * DIR/values.csv (long form: school,indicator,period,value), one value per
 * school, indicator and year, from FIRST_YEAR (2019) for YEARS (5) years;
 * about 0.2 % of them are missing, as in real exports, and a basic school
 * (ООШ, 15 %) has no 11th grade, so no ЕГЭ results, certificates of the 11th
 * grade or medals. 40,000 schools give 9.64 million rows.
 *
 * The same arguments always give the same bytes: a fixed-seed generator
 * (splitmix64) and arithmetic only (no libm, no locale, no time). Each school
 * has a persistent latent "level" (region + municipality + school effects) and
 * a social context correlated with it; each year adds noise, so low results
 * persist as they do in real data. Shares are in 0..1, scores in 0..100,
 * counts are whole numbers, the social well-being index is in 0..1.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREGIONS 85
#define SCHOOLS_PER_MUNI 17

typedef enum { U_SHARE, U_SCORE, U_COUNT, U_INDEX } unit;

/* How a value follows the school's level q (higher is better) and context c. */
typedef struct {
    const char *code, *title;
    unit u;
    int higher; /* better is higher */
    double base, by_level, by_context, noise, lo, hi;
    int decimals;
} ind_spec;

/* clang-format off */
static const ind_spec inds[] = {
    {"vpr_rus4_fail_share", "ВПР, русский язык, 4 класс: доля отметок «2»", U_SHARE, 0, 0.060, -0.025, -0.008, 0.015, 0, 1, 3},
    {"vpr_math4_fail_share", "ВПР, математика, 4 класс: доля отметок «2»", U_SHARE, 0, 0.050, -0.022, -0.008, 0.015, 0, 1, 3},
    {"vpr_rus5_fail_share", "ВПР, русский язык, 5 класс: доля отметок «2»", U_SHARE, 0, 0.110, -0.040, -0.010, 0.020, 0, 1, 3},
    {"vpr_math5_fail_share", "ВПР, математика, 5 класс: доля отметок «2»", U_SHARE, 0, 0.090, -0.035, -0.010, 0.020, 0, 1, 3},
    {"vpr_rus6_fail_share", "ВПР, русский язык, 6 класс: доля отметок «2»", U_SHARE, 0, 0.130, -0.045, -0.010, 0.020, 0, 1, 3},
    {"vpr_math6_fail_share", "ВПР, математика, 6 класс: доля отметок «2»", U_SHARE, 0, 0.120, -0.045, -0.010, 0.020, 0, 1, 3},
    {"vpr_rus7_fail_share", "ВПР, русский язык, 7 класс: доля отметок «2»", U_SHARE, 0, 0.140, -0.045, -0.010, 0.020, 0, 1, 3},
    {"vpr_math7_fail_share", "ВПР, математика, 7 класс: доля отметок «2»", U_SHARE, 0, 0.110, -0.040, -0.010, 0.020, 0, 1, 3},
    {"vpr_rus8_fail_share", "ВПР, русский язык, 8 класс: доля отметок «2»", U_SHARE, 0, 0.150, -0.045, -0.010, 0.020, 0, 1, 3},
    {"vpr_math8_fail_share", "ВПР, математика, 8 класс: доля отметок «2»", U_SHARE, 0, 0.100, -0.040, -0.010, 0.020, 0, 1, 3},
    {"oge_rus_fail_share", "ОГЭ, русский язык: доля не сдавших", U_SHARE, 0, 0.040, -0.020, -0.006, 0.012, 0, 1, 3},
    {"oge_math_fail_share", "ОГЭ, математика: доля не сдавших", U_SHARE, 0, 0.070, -0.030, -0.008, 0.015, 0, 1, 3},
    {"oge_rus_mean", "ОГЭ, русский язык: средний балл (в % от максимума)", U_SCORE, 1, 68, 7, 2, 3, 0, 100, 1},
    {"ege_rus_mean", "ЕГЭ, русский язык: средний балл", U_SCORE, 1, 68, 7, 2, 3, 0, 100, 1},
    {"ege_math_mean", "ЕГЭ, математика (профиль): средний балл", U_SCORE, 1, 55, 9, 2, 4, 0, 100, 1},
    {"ege_rus_below_min_share", "ЕГЭ, русский язык: доля не набравших минимум", U_SHARE, 0, 0.010, -0.008, -0.002, 0.006, 0, 1, 3},
    {"ege_math_below_min_share", "ЕГЭ, математика: доля не набравших минимум", U_SHARE, 0, 0.060, -0.030, -0.006, 0.015, 0, 1, 3},
    {"ege_phys_mean", "ЕГЭ, физика: средний балл", U_SCORE, 1, 54, 7, 1, 5, 0, 100, 1},
    {"ege_chem_mean", "ЕГЭ, химия: средний балл", U_SCORE, 1, 55, 8, 1, 6, 0, 100, 1},
    {"ege_bio_mean", "ЕГЭ, биология: средний балл", U_SCORE, 1, 51, 7, 1, 6, 0, 100, 1},
    {"ege_hist_mean", "ЕГЭ, история: средний балл", U_SCORE, 1, 55, 7, 1, 6, 0, 100, 1},
    {"ege_soc_mean", "ЕГЭ, обществознание: средний балл", U_SCORE, 1, 56, 7, 1, 5, 0, 100, 1},
    {"knowledge_quality_share", "Качество знаний: доля обучающихся на «4» и «5»", U_SHARE, 1, 0.48, 0.08, 0.03, 0.03, 0, 1, 3},
    {"fail_share", "Доля неуспевающих", U_SHARE, 0, 0.025, -0.012, -0.004, 0.006, 0, 1, 3},
    {"repeat_share", "Доля оставленных на повторное обучение", U_SHARE, 0, 0.004, -0.003, -0.001, 0.002, 0, 1, 4},
    {"medal_share", "Доля выпускников с медалью «За особые успехи в учении»", U_SHARE, 1, 0.08, 0.03, 0.01, 0.02, 0, 1, 3},
    {"olymp_winners", "Победители и призёры регионального этапа ВсОШ", U_COUNT, 1, 1.5, 1.5, 0.3, 1.0, 0, 1000, 0},
    {"cert9_share", "Доля выпускников 9 класса, получивших аттестат", U_SHARE, 1, 0.975, 0.012, 0.003, 0.008, 0, 1, 3},
    {"cert11_share", "Доля выпускников 11 класса, получивших аттестат", U_SHARE, 1, 0.990, 0.006, 0.002, 0.005, 0, 1, 3},
    {"isb", "Индекс социального благополучия", U_INDEX, 1, 0.55, 0.03, 0.14, 0.02, 0, 1, 3},
    {"low_income_share", "Доля обучающихся из малообеспеченных семей", U_SHARE, 0, 0.22, -0.02, -0.09, 0.02, 0, 1, 3},
    {"parents_higher_edu_share", "Доля родителей с высшим образованием", U_SHARE, 1, 0.38, 0.03, 0.11, 0.02, 0, 1, 3},
    {"non_native_share", "Доля обучающихся, для которых русский язык не родной", U_SHARE, 0, 0.07, -0.01, -0.04, 0.01, 0, 1, 3},
    {"special_needs_share", "Доля обучающихся с ОВЗ", U_SHARE, 0, 0.06, -0.005, -0.015, 0.01, 0, 1, 3},
    {"deviant_share", "Доля обучающихся на учёте (девиантное поведение)", U_SHARE, 0, 0.020, -0.004, -0.010, 0.004, 0, 1, 3},
    {"remoteness_km", "Удалённость от районного центра, км", U_COUNT, 0, 25, -3, -12, 0.5, 0, 2000, 0},
    {"students", "Число обучающихся", U_COUNT, 1, 0, 0, 0, 0, 0, 100000, 0},
    {"teachers", "Число педагогических работников", U_COUNT, 1, 0, 0, 0, 0, 0, 10000, 0},
    {"teachers_trained_share", "Доля педагогов, прошедших повышение квалификации за год", U_SHARE, 1, 0.42, 0.04, 0.02, 0.08, 0, 1, 3},
    {"teachers_higher_cat_share", "Доля педагогов высшей квалификационной категории", U_SHARE, 1, 0.33, 0.06, 0.03, 0.03, 0, 1, 3},
    {"teachers_young_share", "Доля педагогов в возрасте до 35 лет", U_SHARE, 1, 0.20, 0.02, 0.03, 0.03, 0, 1, 3},
    {"teacher_vacancies", "Число вакансий педагогов", U_COUNT, 0, 1.2, -0.6, -0.4, 1.0, 0, 1000, 0},
    {"students_per_teacher", "Число обучающихся на одного педагога", U_INDEX, 0, 0, 0, 0, 0, 0, 100, 1},
    {"pc_per_student", "Число компьютеров на одного обучающегося", U_INDEX, 1, 0.18, 0.02, 0.03, 0.02, 0, 10, 3},
    {"internet_mbps", "Скорость доступа в интернет, Мбит/с", U_INDEX, 1, 60, 5, 25, 10, 0, 10000, 0},
    {"building_wear_share", "Износ здания", U_SHARE, 0, 0.40, -0.02, -0.08, 0.03, 0, 1, 2},
    {"addl_services", "Число программ дополнительного образования", U_COUNT, 1, 9, 2, 2, 1.5, 0, 1000, 0},
    {"parent_participation_share", "Доля родителей, участвующих в жизни школы", U_SHARE, 1, 0.35, 0.04, 0.06, 0.04, 0, 1, 3},
    {"resource_deficit_share", "Доля неустранённых ресурсных дефицитов", U_SHARE, 0, 0.30, -0.05, -0.06, 0.05, 0, 1, 3},
    {"programme_involvement_share", "Вовлечённость в программы повышения качества образования", U_SHARE, 1, 0.80, 0.02, 0.02, 0.06, 0, 1, 3},
};
/* clang-format on */
#define NINDS (sizeof inds / sizeof inds[0])

static const char *const unit_names[] = {"share", "score", "count", "index"};

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return (double)(next(s) >> 11) * (1.0 / 9007199254740992.0);
}

/* About N(0, 1): the Irwin-Hall sum of four uniforms, scaled. */
static double normal(uint64_t *s)
{
    double x = uniform(s) + uniform(s) + uniform(s) + uniform(s) - 2.0;
    return x * 1.7320508075688772;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* Appends x >= 0 with d decimals (rounded half up) to p; returns the end. */
static char *put_fixed(char *p, double x, int d)
{
    static const double pow10[] = {1, 10, 100, 1000, 10000};
    uint64_t scaled = (uint64_t)(x * pow10[d] + 0.5);
    uint64_t whole = scaled, frac = 0;
    for (int i = 0; i < d; i++) {
        whole /= 10;
    }
    frac = scaled - whole * (uint64_t)pow10[d];
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    while (n) {
        *p++ = tmp[--n];
    }
    if (d) {
        *p++ = '.';
        for (int i = d - 1; i >= 0; i--) {
            p[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        p += d;
    }
    return p;
}

typedef struct {
    int region, muni; /* muni: global municipality number */
    double level, context;
    const char *kind;
    int basic; /* ООШ: no 11th grade, so no ЕГЭ */
    int students, teachers;
} school;

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "gen: cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    return f;
}

static void close_out(FILE *f, const char *name)
{
    if (ferror(f) || fclose(f) != 0) {
        fprintf(stderr, "gen: writing %s failed\n", name);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen DIR SCHOOLS [FIRST_YEAR [YEARS]]\n");
        return 2;
    }
    const char *dir = argv[1];
    long nschools = strtol(argv[2], NULL, 10);
    int first = argc > 3 ? atoi(argv[3]) : 2019;
    int nyears = argc > 4 ? atoi(argv[4]) : 5;
    if (nschools < NREGIONS || nschools > 10000000 || first < 1900 || nyears < 1 ||
        first + nyears > 2999) {
        fprintf(stderr, "gen: SCHOOLS must be at least %d, years within 1900..2999\n",
                NREGIONS);
        return 2;
    }

    /* Regions of unequal size (weights 1..12), municipalities of about
       SCHOOLS_PER_MUNI schools; region, municipality and school effects. */
    uint64_t seed = 20230901;
    double weight[NREGIONS], wsum = 0, reffect[NREGIONS];
    for (int r = 0; r < NREGIONS; r++) {
        weight[r] = 1 + (double)((r * 37 + 5) % 12);
        wsum += weight[r];
        reffect[r] = 0.45 * normal(&seed);
    }
    school *sc = calloc((size_t)nschools, sizeof *sc);
    int *muni_region = calloc((size_t)nschools, sizeof *muni_region);
    double *meffect = calloc((size_t)nschools, sizeof *meffect);
    if (!sc || !muni_region || !meffect) {
        fprintf(stderr, "gen: out of memory\n");
        return 1;
    }
    long at = 0;
    int nmunis = 0;
    double cum = 0;
    for (int r = 0; r < NREGIONS; r++) {
        cum += weight[r];
        long until = r == NREGIONS - 1 ? nschools : (long)((double)nschools * cum / wsum);
        long n = until - at;
        int m = (int)(n / SCHOOLS_PER_MUNI);
        if (m < 1) {
            m = 1;
        }
        for (int k = 0; k < m; k++) {
            muni_region[nmunis + k] = r;
            meffect[nmunis + k] = 0.35 * normal(&seed);
        }
        for (long i = 0; i < n; i++) {
            school *s = &sc[at + i];
            s->region = r;
            s->muni = nmunis + (int)(i * m / n);
        }
        nmunis += m;
        at = until;
    }
    for (long i = 0; i < nschools; i++) {
        school *s = &sc[i];
        s->level = reffect[s->region] + meffect[s->muni] + 0.8 * normal(&seed);
        s->context = 0.5 * s->level + 0.85 * normal(&seed);
        double u = uniform(&seed);
        s->kind = u < 0.70 ? "СОШ" : u < 0.85 ? "ООШ" : u < 0.93 ? "гимназия" : "лицей";
        s->basic = u >= 0.70 && u < 0.85;
        double size = uniform(&seed);
        s->students = 40 + (int)(1400 * size * size) + (s->context > 0 ? 150 : 0);
        s->teachers = 6 + s->students / 15 + (int)(uniform(&seed) * 6);
    }

    FILE *f = open_out(dir, "indicators.csv");
    fprintf(f, "code,title,unit,better,min,max\n");
    for (size_t k = 0; k < NINDS; k++) {
        const ind_spec *d = &inds[k];
        int bounded = d->u == U_SHARE || d->u == U_SCORE;
        fprintf(f, "%s,\"%s\",%s,%s,%s,%s\n", d->code, d->title, unit_names[d->u],
                d->higher ? "higher" : "lower", bounded ? "0" : "",
                d->u == U_SCORE ? "100" : "");
    }
    close_out(f, "indicators.csv");

    f = open_out(dir, "schools.csv");
    fprintf(f, "code,name,territory,region,kind,settlement\n");
    int *seq = calloc((size_t)nmunis, sizeof *seq);
    for (long i = 0; i < nschools; i++) {
        const school *s = &sc[i];
        int m_in_region = s->muni;
        while (m_in_region > 0 && muni_region[m_in_region - 1] == s->region) {
            m_in_region--;
        }
        m_in_region = s->muni - m_in_region + 1;
        seq[s->muni]++;
        fprintf(f, "S%07ld,\"МОУ «%s №%d» МО %d-%03d\",Муниципалитет %02d-%03d,Регион %02d,%s,"
                   "Населённый пункт %02d-%03d-%d\n",
                i + 1, s->kind, seq[s->muni], s->region + 1, m_in_region, s->region + 1,
                m_in_region, s->region + 1, s->kind, s->region + 1, m_in_region,
                seq[s->muni] % 5 + 1);
    }
    free(seq);
    close_out(f, "schools.csv");

    /* Values, year by year (as yearly exports are concatenated), school by
       school. Each school and year draws from its own stream, so a value does
       not depend on which indicators came before it. */
    f = open_out(dir, "values.csv");
    size_t bufsz = 1 << 20;
    char *buf = malloc(bufsz + 512);
    char *p = buf;
    long written = 0;
    size_t codelen[NINDS];
    for (size_t k = 0; k < NINDS; k++) {
        codelen[k] = strlen(inds[k].code);
    }
    p += sprintf(p, "school,indicator,period,value\n");
    for (int y = 0; y < nyears; y++) {
        char year[8];
        snprintf(year, sizeof year, ",%d,", first + y);
        for (long i = 0; i < nschools; i++) {
            const school *s = &sc[i];
            char code[16];
            snprintf(code, sizeof code, "S%07ld,", i + 1);
            uint64_t st = 0x5EED0000ULL + (uint64_t)i * 7919 + (uint64_t)y * 104729;
            next(&st);
            double q = s->level + 0.30 * normal(&st); /* this year's level */
            double c = s->context + 0.10 * normal(&st);
            int students = s->students + (int)(s->students * 0.04 * normal(&st));
            for (size_t k = 0; k < NINDS; k++) {
                const ind_spec *d = &inds[k];
                double n = normal(&st);
                if (uniform(&st) < 0.002) {
                    continue; /* not reported */
                }
                if (s->basic && (strncmp(d->code, "ege_", 4) == 0 ||
                                 strcmp(d->code, "cert11_share") == 0 ||
                                 strcmp(d->code, "medal_share") == 0)) {
                    continue; /* an ООШ has no 11th grade */
                }
                double v;
                if (strcmp(d->code, "students") == 0) {
                    v = students;
                } else if (strcmp(d->code, "teachers") == 0) {
                    v = s->teachers;
                } else if (strcmp(d->code, "students_per_teacher") == 0) {
                    v = (double)students / s->teachers;
                } else {
                    v = d->base + d->by_level * q + d->by_context * c + d->noise * n;
                }
                v = clamp(v, d->lo, d->hi);
                if (p - buf > (ptrdiff_t)bufsz) {
                    fwrite(buf, 1, (size_t)(p - buf), f);
                    p = buf;
                }
                memcpy(p, code, 9);
                memcpy(p + 9, d->code, codelen[k]);
                p += 9 + codelen[k];
                memcpy(p, year, 6);
                p = put_fixed(p + 6, v, d->decimals);
                *p++ = '\n';
                written++;
            }
        }
    }
    fwrite(buf, 1, (size_t)(p - buf), f);
    free(buf);
    close_out(f, "values.csv");
    fprintf(stderr, "gen: %ld schools in %d regions and %d municipalities, %zu indicators, "
                    "%d years: %ld values\n",
            nschools, NREGIONS, nmunis, NINDS, nyears, written);
    free(sc);
    free(muni_region);
    free(meffect);
    return 0;
}
