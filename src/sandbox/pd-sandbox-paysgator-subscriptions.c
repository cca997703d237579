#define G_LOG_DOMAIN "pd-sandbox-paysgator"

#include "config.h"

#include "pd-sandbox-paysgator-private.h"

/* Subscriptions: the seeded plans, the state machine and the API handlers. */

static gint64
period_end_after (gint64      start,
                  const Plan *plan)
{
  g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) to = plan->yearly ? g_date_time_add_years (from, 1) : g_date_time_add_months (from, 1);

  return g_date_time_to_unix (to);
}

static const Plan *
plan_lookup (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    if (g_strcmp0 (plans[i].id, id) == 0)
      return &plans[i];
  return NULL;
}

Subscription *
pd_sandbox_paysgator_subscription_new (PdSandboxPaysgator *self,
                                       gboolean            live,
                                       const Plan         *plan,
                                       const char         *customer_email,
                                       const char         *customer_name,
                                       gint64              created_at)
{
  Subscription *sub = g_new0 (Subscription, 1);

  sub->id = pd_sandbox_new_id (self->demo_ids);
  sub->seq = self->next_seq++;
  sub->live = live;
  sub->plan = plan;
  sub->customer_email = g_strdup (customer_email);
  sub->customer_name = g_strdup (customer_name);
  /* The spec: a subscription starts PAUSED until its first payment. */
  sub->status = SUB_PAUSED;
  sub->created_at = created_at;
  g_hash_table_insert (self->subscriptions, sub->id, sub);
  return sub;
}

/* An active subscription whose period ended on the sandbox clock is past due. */
void
pd_sandbox_paysgator_subscription_refresh (PdSandboxPaysgator *self,
                                           Subscription       *sub)
{
  if (sub->status == SUB_ACTIVE && sub->period_end <= pd_sandbox_paysgator_sandbox_now (self))
    sub->status = SUB_PAST_DUE;
}

/* Never paid yet, or past due: the checkout page takes the next period's payment. */
gboolean
pd_sandbox_paysgator_subscription_payable (Subscription *sub)
{
  return (sub->status == SUB_PAUSED && sub->period_end == 0) || sub->status == SUB_PAST_DUE;
}

void
pd_sandbox_paysgator_subscription_pay (PdSandboxPaysgator *self,
                                       Subscription       *sub,
                                       Method              method,
                                       gboolean            success,
                                       gint64              when)
{
  Transaction *txn = pd_sandbox_paysgator_transaction_new (self, sub->live, sub->plan->amount,
                                                           pd_sandbox_paysgator_wallet_currency (), when);

  pd_sandbox_paysgator_transaction_settle (self, txn, method, success);
  if (success)
    {
      sub->status = SUB_ACTIVE;
      sub->period_start = when;
      sub->period_end = period_end_after (when, sub->plan);
    }
}

static void
add_subscription (JsonBuilder  *builder,
                  Subscription *sub)
{
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "id", sub->id);
  pd_sandbox_paysgator_add_string (builder, "planId", sub->plan->id);
  pd_sandbox_paysgator_add_string (builder, "customerEmail", sub->customer_email);
  pd_sandbox_paysgator_add_string (builder, "status", sub_status_names[sub->status]);
  pd_sandbox_paysgator_add_time (builder, "currentPeriodStart", sub->period_start);
  pd_sandbox_paysgator_add_time (builder, "currentPeriodEnd", sub->period_end);
  pd_sandbox_paysgator_add_time (builder, "createdAt", sub->created_at);
  json_builder_end_object (builder);
}

JsonBuilder *
pd_sandbox_paysgator_api_subscription_create (PdSandboxPaysgator  *self,
                                              SoupServerMessage   *msg,
                                              gboolean             live,
                                              const char          *id,
                                              JsonObject          *body,
                                              GError             **error)
{
  const char *plan_id;
  const char *email;
  const char *name;
  JsonObject *metadata;
  const Plan *plan;
  Subscription *sub;
  g_autofree char *page_path = NULL;
  g_autofree char *url = NULL;
  JsonBuilder *builder;

  if (!pd_sandbox_paysgator_read_string (body, "planId", TRUE, &plan_id, error)
      || !pd_sandbox_paysgator_read_string (body, "customerEmail", TRUE, &email, error))
    return NULL;
  if (!pd_sandbox_paysgator_email_valid (email))
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "customerEmail must be a valid email address");
      return NULL;
    }
  if (!pd_sandbox_paysgator_read_string (body, "customerName", FALSE, &name, error)
      /* Accepted and checked; nothing in the API gives metadata back. */
      || !pd_sandbox_paysgator_read_object (body, "metadata", &metadata, error))
    return NULL;

  plan = plan_lookup (plan_id);
  if (plan == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Plan not found");
      return NULL;
    }

  sub = pd_sandbox_paysgator_subscription_new (self, live, plan, email, name, pd_sandbox_paysgator_sandbox_now (self));
  page_path = g_strconcat ("/subscription/", sub->id, "/checkout", NULL);
  url = pd_sandbox_paysgator_checkout_url (self, page_path);

  builder = pd_sandbox_paysgator_begin_success ();
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "subscriptionId", sub->id);
  pd_sandbox_paysgator_add_string (builder, "checkoutUrl", url);
  pd_sandbox_paysgator_add_string (builder, "status", sub_status_names[sub->status]);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder;
}

static Subscription *
find_subscription (PdSandboxPaysgator  *self,
                   gboolean             live,
                   const char          *id,
                   GError             **error)
{
  Subscription *sub = g_hash_table_lookup (self->subscriptions, id);

  if (sub == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Subscription not found");
      return NULL;
    }
  if (!pd_sandbox_paysgator_check_mode (live, sub->live, "subscription", error))
    return NULL;

  pd_sandbox_paysgator_subscription_refresh (self, sub);
  return sub;
}

JsonBuilder *
pd_sandbox_paysgator_api_subscription_get (PdSandboxPaysgator  *self,
                                           SoupServerMessage   *msg,
                                           gboolean             live,
                                           const char          *id,
                                           JsonObject          *body,
                                           GError             **error)
{
  Subscription *sub = find_subscription (self, live, id, error);
  JsonBuilder *builder;

  if (sub == NULL)
    return NULL;

  builder = pd_sandbox_paysgator_begin_success ();
  add_subscription (builder, sub);
  json_builder_end_object (builder);
  return builder;
}

static int
compare_subscriptions (gconstpointer a,
                       gconstpointer b)
{
  const Subscription *sa = *(Subscription * const *) a;
  const Subscription *sb = *(Subscription * const *) b;

  return pd_sandbox_paysgator_compare_newest_first (sa->created_at, sa->seq, sb->created_at, sb->seq);
}

/* The subscriptions of one mode, newest first, each refreshed. */
GPtrArray *
pd_sandbox_paysgator_subscriptions_of_mode (PdSandboxPaysgator *self,
                                            gboolean            live)
{
  GPtrArray *list = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->subscriptions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Subscription *sub = value;

      if (sub->live != live)
        continue;
      pd_sandbox_paysgator_subscription_refresh (self, sub);
      g_ptr_array_add (list, sub);
    }
  g_ptr_array_sort (list, compare_subscriptions);
  return list;
}

JsonBuilder *
pd_sandbox_paysgator_api_subscription_list (PdSandboxPaysgator  *self,
                                            SoupServerMessage   *msg,
                                            gboolean             live,
                                            const char          *id,
                                            JsonObject          *body,
                                            GError             **error)
{
  g_autoptr(GHashTable) query = pd_sandbox_paysgator_read_query (msg);
  const char *email = g_hash_table_lookup (query, "customerEmail");
  const char *status_text = g_hash_table_lookup (query, "status");
  const char *plan_id = g_hash_table_lookup (query, "planId");
  g_autoptr(GPtrArray) list = NULL;
  gint status = -1;
  JsonBuilder *builder;

  if (status_text != NULL && status_text[0] != '\0')
    {
      for (guint i = 0; i < G_N_ELEMENTS (sub_status_names); i++)
        if (g_str_equal (status_text, sub_status_names[i]))
          status = (gint) i;
      if (status < 0)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                               "status must be one of ACTIVE, CANCELED, PAST_DUE, PAUSED");
          return NULL;
        }
    }

  list = pd_sandbox_paysgator_subscriptions_of_mode (self, live);
  builder = pd_sandbox_paysgator_begin_success ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    {
      Subscription *sub = g_ptr_array_index (list, i);

      if (email != NULL && email[0] != '\0' && g_ascii_strcasecmp (email, sub->customer_email) != 0)
        continue;
      if (status >= 0 && sub->status != (SubStatus) status)
        continue;
      if (plan_id != NULL && plan_id[0] != '\0' && !g_str_equal (plan_id, sub->plan->id))
        continue;
      add_subscription (builder, sub);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return builder;
}

static gboolean
subscription_apply (PdSandboxPaysgator  *self,
                    Subscription        *sub,
                    const char          *action,
                    GError             **error)
{
  const char *status = sub_status_names[sub->status];

  if (g_str_equal (action, "cancel"))
    {
      if (sub->status == SUB_CANCELED)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                               "The subscription is already CANCELED");
          return FALSE;
        }
      sub->status = SUB_CANCELED;
    }
  else if (g_str_equal (action, "pause"))
    {
      if (sub->status != SUB_ACTIVE && sub->status != SUB_PAST_DUE)
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                       "Only an ACTIVE or PAST_DUE subscription can be paused; this one is %s", status);
          return FALSE;
        }
      sub->status = SUB_PAUSED;
    }
  else if (g_str_equal (action, "resume"))
    {
      if (sub->status != SUB_PAUSED)
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                       "Only a PAUSED subscription can be resumed; this one is %s", status);
          return FALSE;
        }
      if (sub->period_end == 0)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                               "The subscription has not been paid yet: the customer pays on its checkoutUrl");
          return FALSE;
        }
      sub->status = SUB_ACTIVE;
      pd_sandbox_paysgator_subscription_refresh (self, sub);
    }
  else
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_INVALID_ACTION,
                           "action must be one of cancel, pause, resume");
      return FALSE;
    }

  return TRUE;
}

JsonBuilder *
pd_sandbox_paysgator_api_subscription_update (PdSandboxPaysgator  *self,
                                              SoupServerMessage   *msg,
                                              gboolean             live,
                                              const char          *id,
                                              JsonObject          *body,
                                              GError             **error)
{
  const char *action;
  Subscription *sub;
  JsonBuilder *builder;

  if (!pd_sandbox_paysgator_read_string (body, "action", TRUE, &action, error))
    return NULL;

  sub = find_subscription (self, live, id, error);
  if (sub == NULL || !subscription_apply (self, sub, action, error))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "id", sub->id);
  pd_sandbox_paysgator_add_string (builder, "status", sub_status_names[sub->status]);
  pd_sandbox_paysgator_add_time (builder, "currentPeriodEnd", sub->period_end);
  json_builder_end_object (builder);
  return builder;
}
