/* pd-money.h: amounts as integer minor units of an ISO 4217 currency */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PD_MONEY_ERROR (pd_money_error_quark ())

/**
 * PdMoneyError:
 * @PD_MONEY_ERROR_EMPTY: no amount was given
 * @PD_MONEY_ERROR_INVALID: not an amount: junk, a sign other than a leading
 *   minus, exponent notation, misplaced grouping separators
 * @PD_MONEY_ERROR_AMBIGUOUS: user text where '.' could be the decimal mark or
 *   the locale's grouping separator, with both readings valid ("1.500")
 * @PD_MONEY_ERROR_NEGATIVE: a negative amount where only positive ones are valid
 * @PD_MONEY_ERROR_TOO_PRECISE: more decimals than the currency has
 * @PD_MONEY_ERROR_OVERFLOW: does not fit a gint64 of minor units
 * @PD_MONEY_ERROR_NOT_FINITE: NaN or infinity
 * @PD_MONEY_ERROR_NOT_A_NUMBER: a JSON node that is neither a number nor a
 *   numeric string
 * @PD_MONEY_ERROR_UNKNOWN_CURRENCY: not an ISO 4217 code of the table
 * @PD_MONEY_ERROR_CURRENCY_MISMATCH: arithmetic on two currencies
 *
 * Every error carries a translated message fit for the user; none repeats the
 * text it was given (a card number pasted into an amount field stays out of it).
 */
typedef enum
{
  PD_MONEY_ERROR_EMPTY,
  PD_MONEY_ERROR_INVALID,
  PD_MONEY_ERROR_AMBIGUOUS,
  PD_MONEY_ERROR_NEGATIVE,
  PD_MONEY_ERROR_TOO_PRECISE,
  PD_MONEY_ERROR_OVERFLOW,
  PD_MONEY_ERROR_NOT_FINITE,
  PD_MONEY_ERROR_NOT_A_NUMBER,
  PD_MONEY_ERROR_UNKNOWN_CURRENCY,
  PD_MONEY_ERROR_CURRENCY_MISMATCH,
} PdMoneyError;

/* @minor is in the currency's smallest unit (cents, fils, yen). */
typedef struct
{
  gint64 minor;
  char   currency[4];
} PdMoney;

/**
 * PdMoneyConventions:
 * @decimal_mark: UTF-8, never empty
 * @group_separator: UTF-8, empty when the locale does not group
 * @grouping: group sizes from the right, as localeconv() gives them
 *   ("\3" for thousands, "\3\2" for lakhs); empty means no grouping
 * @symbol_first: the currency goes before the number
 *
 * How the user writes amounts. Functions that take conventions read the
 * current locale (LC_MONETARY, or LC_NUMERIC where it leaves the monetary
 * marks empty) when given NULL.
 */
typedef struct
{
  char     decimal_mark[8];
  char     group_separator[8];
  char     grouping[8];
  gboolean symbol_first;
} PdMoneyConventions;

typedef enum
{
  PD_MONEY_DISPLAY_DEFAULT     = 0,
  PD_MONEY_DISPLAY_CODE        = 1 << 0, /* "USD 5.00", never a symbol */
  PD_MONEY_DISPLAY_NO_CURRENCY = 1 << 1, /* "5.00" */
  PD_MONEY_DISPLAY_NO_GROUPING = 1 << 2, /* "1234.00": text for an entry */
} PdMoneyDisplayFlags;

#define PD_TYPE_MONEY (pd_money_get_type ())

GQuark       pd_money_error_quark            (void);
GType        pd_money_get_type               (void) G_GNUC_CONST;

PdMoney     *pd_money_copy                   (const PdMoney             *money);
void         pd_money_free                   (PdMoney                   *money);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdMoney, pd_money_free)

gboolean     pd_money_currency_is_known      (const char                *code);
int          pd_money_currency_exponent      (const char                *code);
const char  *pd_money_currency_name          (const char                *code);
GStrv        pd_money_currency_codes         (void);

gboolean     pd_money_init                   (PdMoney                   *money,
                                              gint64                     minor,
                                              const char                *currency,
                                              GError                   **error);
gboolean     pd_money_equal                  (const PdMoney             *a,
                                              const PdMoney             *b);

gboolean     pd_money_parse_user_text        (const char                *text,
                                              const char                *currency,
                                              const PdMoneyConventions  *conventions,
                                              PdMoney                   *money,
                                              GError                   **error);
gboolean     pd_money_parse_decimal          (const char                *text,
                                              const char                *currency,
                                              PdMoney                   *money,
                                              GError                   **error);
gboolean     pd_money_from_json_node         (JsonNode                  *node,
                                              const char                *currency,
                                              PdMoney                   *money,
                                              GError                   **error);

char        *pd_money_to_wire                (const PdMoney             *money);
void         pd_money_append_json            (GString                   *json,
                                              const PdMoney             *money);

void         pd_money_conventions_from_locale (PdMoneyConventions       *conventions);
char        *pd_money_to_display             (const PdMoney             *money,
                                              PdMoneyDisplayFlags        flags,
                                              const PdMoneyConventions  *conventions);

gboolean     pd_money_add                    (const PdMoney             *a,
                                              const PdMoney             *b,
                                              PdMoney                   *sum,
                                              GError                   **error);
gboolean     pd_money_subtract               (const PdMoney             *a,
                                              const PdMoney             *b,
                                              PdMoney                   *difference,
                                              GError                   **error);
gboolean     pd_money_compare                (const PdMoney             *a,
                                              const PdMoney             *b,
                                              int                       *result,
                                              GError                   **error);
gboolean     pd_money_fee                    (const PdMoney             *amount,
                                              guint                      basis_points,
                                              PdMoney                   *fee,
                                              GError                   **error);

G_END_DECLS
