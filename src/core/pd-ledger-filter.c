#define G_LOG_DOMAIN "pd-ledger-filter"

#include "config.h"

#include "pd-ledger-filter.h"

struct _PdLedgerFilter
{
  gatomicrefcount  ref_count;

  char            *account_id;
  guint            status_mask;
  gint64           created_since;
  gint64           created_until;
  gint64           amount_min;
  gint64           amount_max;
  char            *currency;
  char            *provider;
  char            *text;
  PdLedgerSort     sort;
  gboolean         descending;
};

G_DEFINE_BOXED_TYPE (PdLedgerFilter, pd_ledger_filter, pd_ledger_filter_ref, pd_ledger_filter_unref)

G_DEFINE_ENUM_TYPE (PdLedgerSort, pd_ledger_sort,
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CREATED_AT, "created-at"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_UPDATED_AT, "updated-at"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_COMPLETED_AT, "completed-at"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_AMOUNT, "amount"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_REFUNDED_AMOUNT, "refunded-amount"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CURRENCY, "currency"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_STATUS, "status"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_GATEWAY, "gateway"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_PROVIDER, "provider"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_PAYMENT_METHOD, "payment-method"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CARD_BRAND, "card-brand"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CARD_LAST_FOUR, "card-last-four"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_ORDER_ID, "order-id"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_REFERENCE, "reference"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CUSTOMER_NAME, "customer-name"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CUSTOMER_EMAIL, "customer-email"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_CUSTOMER_PHONE, "customer-phone"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_SORT_MODE, "mode"))

/* Empty strings mean "any", like NULL, so an emptied search entry clears the condition. */
static char *
dup_condition (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

PdLedgerFilter *
pd_ledger_filter_new (const char *account_id)
{
  PdLedgerFilter *self;

  g_return_val_if_fail (account_id != NULL && *account_id != '\0', NULL);

  self = g_new0 (PdLedgerFilter, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->account_id = g_strdup (account_id);
  self->amount_min = -1;
  self->amount_max = -1;
  self->sort = PD_LEDGER_SORT_CREATED_AT;
  self->descending = TRUE;

  return self;
}

PdLedgerFilter *
pd_ledger_filter_copy (PdLedgerFilter *self)
{
  PdLedgerFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = pd_ledger_filter_new (self->account_id);
  copy->status_mask = self->status_mask;
  copy->created_since = self->created_since;
  copy->created_until = self->created_until;
  copy->amount_min = self->amount_min;
  copy->amount_max = self->amount_max;
  copy->currency = g_strdup (self->currency);
  copy->provider = g_strdup (self->provider);
  copy->text = g_strdup (self->text);
  copy->sort = self->sort;
  copy->descending = self->descending;

  return copy;
}

PdLedgerFilter *
pd_ledger_filter_ref (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
pd_ledger_filter_unref (PdLedgerFilter *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->account_id);
  g_free (self->currency);
  g_free (self->provider);
  g_free (self->text);
  g_free (self);
}

const char *
pd_ledger_filter_get_account_id (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->account_id;
}

void
pd_ledger_filter_add_status (PdLedgerFilter *self,
                             PdStatus        status)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (status <= PD_STATUS_CANCELLED);

  self->status_mask |= 1u << status;
}

void
pd_ledger_filter_clear_statuses (PdLedgerFilter *self)
{
  g_return_if_fail (self != NULL);

  self->status_mask = 0;
}

gboolean
pd_ledger_filter_has_status (PdLedgerFilter *self,
                             PdStatus        status)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return status <= PD_STATUS_CANCELLED && (self->status_mask & (1u << status)) != 0;
}

guint
pd_ledger_filter_get_status_mask (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->status_mask;
}

void
pd_ledger_filter_set_created_range (PdLedgerFilter *self,
                                    gint64          since,
                                    gint64          until)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (since >= 0 && until >= 0);

  self->created_since = since;
  self->created_until = until;
}

gint64
pd_ledger_filter_get_created_since (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->created_since;
}

gint64
pd_ledger_filter_get_created_until (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->created_until;
}

void
pd_ledger_filter_set_amount_range (PdLedgerFilter *self,
                                   gint64          min,
                                   gint64          max)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (min >= -1 && max >= -1);

  self->amount_min = min;
  self->amount_max = max;
}

gint64
pd_ledger_filter_get_amount_min (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->amount_min;
}

gint64
pd_ledger_filter_get_amount_max (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->amount_max;
}

void
pd_ledger_filter_set_currency (PdLedgerFilter *self,
                               const char     *currency)
{
  g_return_if_fail (self != NULL);

  g_free (self->currency);
  self->currency = dup_condition (currency);
}

const char *
pd_ledger_filter_get_currency (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->currency;
}

void
pd_ledger_filter_set_provider (PdLedgerFilter *self,
                               const char     *provider)
{
  g_return_if_fail (self != NULL);

  g_free (self->provider);
  self->provider = dup_condition (provider);
}

const char *
pd_ledger_filter_get_provider (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->provider;
}

void
pd_ledger_filter_set_text (PdLedgerFilter *self,
                           const char     *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text == NULL || g_utf8_validate (text, -1, NULL));

  g_free (self->text);
  self->text = dup_condition (text);
}

const char *
pd_ledger_filter_get_text (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

void
pd_ledger_filter_set_sort (PdLedgerFilter *self,
                           PdLedgerSort    sort,
                           gboolean        descending)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (sort <= PD_LEDGER_SORT_MODE);

  self->sort = sort;
  self->descending = !!descending;
}

PdLedgerSort
pd_ledger_filter_get_sort (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, PD_LEDGER_SORT_CREATED_AT);

  return self->sort;
}

gboolean
pd_ledger_filter_get_descending (PdLedgerFilter *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->descending;
}
