/* pd-ledger-filter.h: what a transactions view asks the ledger for */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

/* The columns a list can be sorted by; ties are broken by the ledger id in the same direction. */
typedef enum
{
  PD_LEDGER_SORT_CREATED_AT,
  PD_LEDGER_SORT_UPDATED_AT,
  PD_LEDGER_SORT_COMPLETED_AT,
  PD_LEDGER_SORT_AMOUNT,
  PD_LEDGER_SORT_REFUNDED_AMOUNT,
  PD_LEDGER_SORT_CURRENCY,
  PD_LEDGER_SORT_STATUS,
  PD_LEDGER_SORT_GATEWAY,
  PD_LEDGER_SORT_PROVIDER,
  PD_LEDGER_SORT_PAYMENT_METHOD,
  PD_LEDGER_SORT_CARD_BRAND,
  PD_LEDGER_SORT_CARD_LAST_FOUR,
  PD_LEDGER_SORT_ORDER_ID,
  PD_LEDGER_SORT_REFERENCE,
  PD_LEDGER_SORT_CUSTOMER_NAME,
  PD_LEDGER_SORT_CUSTOMER_EMAIL,
  PD_LEDGER_SORT_CUSTOMER_PHONE,
  PD_LEDGER_SORT_MODE,
} PdLedgerSort;

#define PD_TYPE_LEDGER_SORT (pd_ledger_sort_get_type ())
GType pd_ledger_sort_get_type (void) G_GNUC_CONST;

/*
 * PdLedgerFilter: one account's transactions, narrowed and sorted.
 *
 * Every condition is optional and they all apply together. The text is split
 * at white space; each of its first eight words must occur, ignoring case, somewhere in the order
 * id, reference, customer name, customer email or card last four. Words of
 * three characters or more are looked up in the ledger's trigram index; a
 * query made only of shorter words is matched while walking the list in its
 * sort order, which is quick for common text and at worst reads the account's
 * rows once. The default sort is newest first (created-at, descending).
 */
typedef struct _PdLedgerFilter PdLedgerFilter;

#define PD_TYPE_LEDGER_FILTER (pd_ledger_filter_get_type ())
GType           pd_ledger_filter_get_type          (void) G_GNUC_CONST;

PdLedgerFilter *pd_ledger_filter_new               (const char     *account_id);
PdLedgerFilter *pd_ledger_filter_copy              (PdLedgerFilter *self);
PdLedgerFilter *pd_ledger_filter_ref               (PdLedgerFilter *self);
void            pd_ledger_filter_unref             (PdLedgerFilter *self);

const char     *pd_ledger_filter_get_account_id    (PdLedgerFilter *self);

/* Statuses form a set: none added means any status. */
void            pd_ledger_filter_add_status        (PdLedgerFilter *self,
                                                    PdStatus        status);
void            pd_ledger_filter_clear_statuses    (PdLedgerFilter *self);
gboolean        pd_ledger_filter_has_status        (PdLedgerFilter *self,
                                                    PdStatus        status);
/* The set as a bit mask, 1 << status per member; 0 for any status. */
guint           pd_ledger_filter_get_status_mask   (PdLedgerFilter *self);

/* Created at or after @since and before @until (Unix seconds); 0 leaves that side open. */
void            pd_ledger_filter_set_created_range (PdLedgerFilter *self,
                                                    gint64          since,
                                                    gint64          until);
gint64          pd_ledger_filter_get_created_since (PdLedgerFilter *self);
gint64          pd_ledger_filter_get_created_until (PdLedgerFilter *self);

/* Amounts from @min to @max inclusive, in minor units; -1 leaves that side open. */
void            pd_ledger_filter_set_amount_range  (PdLedgerFilter *self,
                                                    gint64          min,
                                                    gint64          max);
gint64          pd_ledger_filter_get_amount_min    (PdLedgerFilter *self);
gint64          pd_ledger_filter_get_amount_max    (PdLedgerFilter *self);

/* NULL or "" for any. */
void            pd_ledger_filter_set_currency      (PdLedgerFilter *self,
                                                    const char     *currency);
const char     *pd_ledger_filter_get_currency      (PdLedgerFilter *self);
void            pd_ledger_filter_set_provider      (PdLedgerFilter *self,
                                                    const char     *provider);
const char     *pd_ledger_filter_get_provider      (PdLedgerFilter *self);
void            pd_ledger_filter_set_text          (PdLedgerFilter *self,
                                                    const char     *text);
const char     *pd_ledger_filter_get_text          (PdLedgerFilter *self);

void            pd_ledger_filter_set_sort          (PdLedgerFilter *self,
                                                    PdLedgerSort    sort,
                                                    gboolean        descending);
PdLedgerSort    pd_ledger_filter_get_sort          (PdLedgerFilter *self);
gboolean        pd_ledger_filter_get_descending    (PdLedgerFilter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdLedgerFilter, pd_ledger_filter_unref)

G_END_DECLS
