/* pd-account-session.c: one open account: its client, its pacer, the ledger
 *
 * A session is what the views of one account share: the gateway client
 * built from the keyring's secrets, the one pacer every request of the
 * account goes through, and the ledger. It also keeps the ledger's
 * unsettled transactions of the account up to date: every refresh interval
 * a round asks the gateway for a few of them, one request at a time and at
 * background priority, so a person's request never waits behind more than
 * one of them and the background never takes more than half the rate limit.
 *
 * A round holds a weak reference to its session: dropping the session
 * cancels the round instead of waiting for it.
 */
#define G_LOG_DOMAIN "pd-account-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-account-session.h"
#include "pd-error.h"

#define SOURCE_BACKGROUND_REFRESH "background refresh"

struct _PdAccountSession
{
  GObject       parent_instance;

  PdAccount    *account;
  PdLedger     *ledger;
  PdPacer      *pacer;
  PdPesogate   *pesogate;
  PdPaysgator  *paysgator;

  guint         refresh_interval;
  guint         refresh_source;
  GCancellable *refresh_cancellable;
  gpointer      round;            /* the Round running now, if any */
  /* References the gateway does not know: not asked again by this session. */
  GHashTable   *missing;
};

G_DEFINE_FINAL_TYPE (PdAccountSession, pd_account_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_LEDGER,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TRANSACTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Asking the gateway ---------------------------------------------------------- */

/* What the ledger needs beyond the gateway's answer: whose it is, and (the
 * PesoGate answer has no mode) the account's mode. */
static void
claim_transaction (PdAccount     *account,
                   PdTransaction *transaction)
{
  pd_transaction_set_account_id (transaction, pd_account_get_id (account));
  pd_transaction_set_gateway (transaction, pd_account_get_gateway (account));
  if (pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE)
    pd_transaction_set_mode (transaction, pd_account_get_mode (account));
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdAccount *account = g_task_get_task_data (task);
  g_autoptr(PdTransaction) transaction = NULL;
  GError *error = NULL;

  if (PD_IS_PESOGATE (source))
    transaction = pd_pesogate_status_finish (PD_PESOGATE (source), result, &error);
  else
    transaction = pd_paysgator_get_transaction_finish (PD_PAYSGATOR (source), result, &error);

  if (transaction == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  claim_transaction (account, transaction);
  g_task_return_pointer (task, g_steal_pointer (&transaction), g_object_unref);
}

/* The transaction as the gateway has it now, claimed for @account. */
static void
fetch_async (GObject             *client,
             PdAccount           *account,
             const char          *reference,
             PdHttpFlags          flags,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);

  g_task_set_source_tag (task, fetch_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (PD_IS_PESOGATE (client))
    pd_pesogate_status_async (PD_PESOGATE (client), reference, flags, cancellable, fetch_done_cb, task);
  else
    pd_paysgator_get_transaction_async (PD_PAYSGATOR (client), reference, flags, cancellable, fetch_done_cb, task);
}

static PdTransaction *
fetch_finish (GAsyncResult  *result,
              GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GObject *
get_client (PdAccountSession *self)
{
  return self->pesogate != NULL ? G_OBJECT (self->pesogate) : G_OBJECT (self->paysgator);
}

static gboolean
status_differs (PdTransaction *a,
                PdTransaction *b)
{
  return pd_transaction_get_status (a) != pd_transaction_get_status (b) ||
         g_strcmp0 (pd_transaction_get_gateway_status (a), pd_transaction_get_gateway_status (b)) != 0;
}

/* Background refresh ------------------------------------------------------------ */

typedef struct
{
  GWeakRef      session;
  GCancellable *cancellable;
  PdLedger     *ledger;
  GObject      *client;
  PdAccount    *account;
  GListModel   *unsettled;
  guint         next;
  guint         budget;
  PdTransaction *current;
} Round;

static void
round_free (Round *round)
{
  g_weak_ref_clear (&round->session);
  g_clear_object (&round->cancellable);
  g_clear_object (&round->ledger);
  g_clear_object (&round->client);
  g_clear_object (&round->account);
  g_clear_object (&round->unsettled);
  g_clear_object (&round->current);
  g_free (round);
}

static void
round_end (Round *round)
{
  g_autoptr(PdAccountSession) self = g_weak_ref_get (&round->session);

  if (self != NULL && self->round == round)
    self->round = NULL;
  round_free (round);
}

/* Half of what the limit allows in one interval, so a person always finds room. */
static guint
round_budget (PdAccountSession *self)
{
  guint64 limit = pd_pacer_get_limit (self->pacer);
  guint64 budget;

  if (limit == 0)
    limit = PD_PACER_DEFAULT_LIMIT;
  budget = limit * self->refresh_interval * 1000 / pd_pacer_get_window_ms (self->pacer) / 2;
  return (guint) CLAMP (budget, 1, MAX (limit / 2, 1));
}

static void round_next (Round *round);

static void
round_recorded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Round *round = user_data;
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(PdAccountSession) self = NULL;
  g_autoptr(GError) error = NULL;
  gboolean changed;

  stored = pd_ledger_upsert_transaction_finish (PD_LEDGER (source), result, &error);
  if (stored == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Background refresh: %s could not be recorded: %s",
                 pd_transaction_get_reference (round->current), error->message);
      round_end (round);
      return;
    }

  changed = status_differs (stored, round->current);
  self = g_weak_ref_get (&round->session);
  if (self == NULL || g_cancellable_is_cancelled (round->cancellable))
    {
      round_end (round);
      return;
    }
  if (changed)
    g_signal_emit (self, signals[TRANSACTION_CHANGED], 0, stored);
  round_next (round);
}

static void
round_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Round *round = user_data;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;

  transaction = fetch_finish (result, &error);
  if (transaction == NULL)
    {
      g_autoptr(PdAccountSession) self = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED))
        {
          round_end (round);
          return;
        }
      /* References and gateway messages only: neither holds card data or keys. */
      g_debug ("Background refresh of %s failed: %s",
               pd_transaction_get_reference (round->current), error->message);
      self = g_weak_ref_get (&round->session);
      if (self != NULL && g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND))
        {
          g_hash_table_add (self->missing, g_strdup (pd_transaction_get_reference (round->current)));
          round_next (round);
          return;
        }
      /* The gateway is unreachable or refuses: the next round tries again. */
      round_end (round);
      return;
    }

  /* Recorded even when nothing changed: its updated-at moves it to the back of the queue. */
  pd_ledger_upsert_transaction_async (round->ledger, transaction, SOURCE_BACKGROUND_REFRESH,
                                      round->cancellable, round_recorded_cb, round);
}

static void
round_next (Round *round)
{
  g_autoptr(PdAccountSession) self = g_weak_ref_get (&round->session);

  if (self == NULL || g_cancellable_is_cancelled (round->cancellable))
    {
      round_end (round);
      return;
    }

  g_clear_object (&round->current);
  while (round->budget > 0 && round->next < g_list_model_get_n_items (round->unsettled))
    {
      g_autoptr(PdTransaction) transaction = g_list_model_get_item (round->unsettled, round->next++);

      if (g_hash_table_contains (self->missing, pd_transaction_get_reference (transaction)))
        continue;

      round->budget--;
      round->current = g_steal_pointer (&transaction);
      fetch_async (round->client, round->account, pd_transaction_get_reference (round->current),
                   PD_HTTP_FLAGS_BACKGROUND, round->cancellable, round_fetched_cb, round);
      return;
    }
  round_end (round);
}

static void
round_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Round *round = user_data;
  g_autoptr(GError) error = NULL;

  round->unsettled = pd_ledger_list_unsettled_finish (PD_LEDGER (source), result, &error);
  if (round->unsettled == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Background refresh: the ledger could not be read: %s", error->message);
      round_end (round);
      return;
    }
  round_next (round);
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  PdAccountSession *self = user_data;
  Round *round;

  if (self->round != NULL || self->ledger == NULL)
    return G_SOURCE_CONTINUE;

  round = g_new0 (Round, 1);
  g_weak_ref_init (&round->session, self);
  round->cancellable = g_object_ref (self->refresh_cancellable);
  round->ledger = g_object_ref (self->ledger);
  round->client = g_object_ref (get_client (self));
  round->account = g_object_ref (self->account);
  round->budget = round_budget (self);
  self->round = round;

  /* The ones this session knows are gone are skipped: ask for enough beside them. */
  pd_ledger_list_unsettled_async (self->ledger, pd_account_get_id (self->account),
                                  round->budget + g_hash_table_size (self->missing),
                                  round->cancellable, round_listed_cb, round);
  return G_SOURCE_CONTINUE;
}

static void
stop_refresh (PdAccountSession *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->refresh_cancellable != NULL)
    g_cancellable_cancel (self->refresh_cancellable);
  g_clear_object (&self->refresh_cancellable);
  /* The round ends by itself once it sees the cancellation. */
  self->round = NULL;
}

/* GObject ------------------------------------------------------------------------ */

static void
pd_account_session_dispose (GObject *object)
{
  PdAccountSession *self = PD_ACCOUNT_SESSION (object);

  stop_refresh (self);

  G_OBJECT_CLASS (pd_account_session_parent_class)->dispose (object);
}

static void
pd_account_session_finalize (GObject *object)
{
  PdAccountSession *self = PD_ACCOUNT_SESSION (object);

  g_clear_object (&self->pesogate);
  g_clear_object (&self->paysgator);
  g_clear_object (&self->pacer);
  g_clear_object (&self->ledger);
  g_clear_object (&self->account);
  g_clear_pointer (&self->missing, g_hash_table_unref);

  G_OBJECT_CLASS (pd_account_session_parent_class)->finalize (object);
}

static void
pd_account_session_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdAccountSession *self = PD_ACCOUNT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_LEDGER:
      g_value_set_object (value, self->ledger);
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_session_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdAccountSession *self = PD_ACCOUNT_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    case PROP_LEDGER:
      self->ledger = g_value_dup_object (value);
      break;
    case PROP_REFRESH_INTERVAL:
      pd_account_session_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_account_session_class_init (PdAccountSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pd_account_session_dispose;
  object_class->finalize = pd_account_session_finalize;
  object_class->get_property = pd_account_session_get_property;
  object_class->set_property = pd_account_session_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         PD_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /* NULL when the ledger could not be opened: the session works, without history. */
  properties[PROP_LEDGER] =
    g_param_spec_object ("ledger", NULL, NULL,
                         PD_TYPE_LEDGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TRANSACTION_CHANGED] =
    g_signal_new ("transaction-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, PD_TYPE_TRANSACTION);
}

static void
pd_account_session_init (PdAccountSession *self)
{
  self->missing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Opening ------------------------------------------------------------------------- */

typedef struct
{
  PdAccount      *account;
  PdAccountStore *store;
  PdLedger       *ledger;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->account);
  g_clear_object (&data->store);
  g_clear_object (&data->ledger);
  g_free (data);
}

static void
secrets_looked_up_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(PdAccountSecrets) secrets = NULL;
  g_autoptr(PdAccountSession) self = NULL;
  PdAccount *account = data->account;
  GError *error = NULL;

  secrets = pd_account_store_lookup_secrets_finish (PD_ACCOUNT_STORE (source), result, &error);
  if (secrets == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self = g_object_new (PD_TYPE_ACCOUNT_SESSION,
                       "account", account,
                       "ledger", data->ledger,
                       NULL);
  self->pacer = pd_pacer_new (pd_account_get_rate_limit (account), PD_PACER_DEFAULT_WINDOW_MS);
  if (pd_account_get_gateway (account) == PD_GATEWAY_PESOGATE)
    self->pesogate = pd_pesogate_new (pd_account_get_base_url (account),
                                      pd_account_secrets_get_api_key (secrets),
                                      pd_account_secrets_get_api_secret (secrets),
                                      self->pacer, &error);
  else
    self->paysgator = pd_paysgator_new (pd_account_get_base_url (account),
                                        pd_account_secrets_get_api_key (secrets),
                                        self->pacer, &error);
  /* From here the secrets live only in the client's headers; freeing wipes this copy. */
  g_clear_pointer (&secrets, pd_account_secrets_free);

  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&self), g_object_unref);
}

/**
 * pd_account_session_open_async:
 * @account: the account to open
 * @store: the store that keeps @account's secrets
 * @ledger: (nullable): the ledger, or %NULL to work without history
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the session is open or could not be
 * @user_data: data for @callback
 */
void
pd_account_session_open_async (PdAccount           *account,
                               PdAccountStore      *store,
                               PdLedger            *ledger,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (PD_IS_ACCOUNT (account));
  g_return_if_fail (PD_IS_ACCOUNT_STORE (store));
  g_return_if_fail (ledger == NULL || PD_IS_LEDGER (ledger));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_account_session_open_async);

  data = g_new0 (OpenData, 1);
  data->account = g_object_ref (account);
  data->store = g_object_ref (store);
  data->ledger = ledger != NULL ? g_object_ref (ledger) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  pd_account_store_lookup_secrets_async (store, account, cancellable,
                                         secrets_looked_up_cb, g_steal_pointer (&task));
}

/**
 * pd_account_session_open_finish:
 * @result: the result
 * @error: return location for an error: the store's (%PD_ACCOUNT_ERROR:
 *   keyring locked or unavailable, no secrets) or the client's
 *   (%PD_GATEWAY_ERROR_INSECURE_URL)
 *
 * Returns: (transfer full): the session, with its refresh off
 */
PdAccountSession *
pd_account_session_open_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_session_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Accessors ----------------------------------------------------------------------- */

PdAccount *
pd_account_session_get_account (PdAccountSession *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SESSION (self), NULL);

  return self->account;
}

/**
 * pd_account_session_get_ledger:
 * @self: a session
 *
 * Returns: (transfer none) (nullable): the ledger, or %NULL when the app runs without history
 */
PdLedger *
pd_account_session_get_ledger (PdAccountSession *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SESSION (self), NULL);

  return self->ledger;
}

PdPacer *
pd_account_session_get_pacer (PdAccountSession *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SESSION (self), NULL);

  return self->pacer;
}

PdPesogate *
pd_account_session_get_pesogate (PdAccountSession *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SESSION (self), NULL);

  return self->pesogate;
}

PdPaysgator *
pd_account_session_get_paysgator (PdAccountSession *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SESSION (self), NULL);

  return self->paysgator;
}

guint
pd_account_session_get_refresh_interval (PdAccountSession *self)
{
  g_return_val_if_fail (PD_IS_ACCOUNT_SESSION (self), 0);

  return self->refresh_interval;
}

void
pd_account_session_set_refresh_interval (PdAccountSession *self,
                                         guint             interval_seconds)
{
  g_return_if_fail (PD_IS_ACCOUNT_SESSION (self));

  if (self->refresh_interval == interval_seconds)
    return;

  stop_refresh (self);
  self->refresh_interval = interval_seconds;
  if (interval_seconds > 0)
    {
      self->refresh_cancellable = g_cancellable_new ();
      self->refresh_source = g_timeout_add_seconds (interval_seconds, refresh_timeout_cb, self);
      g_source_set_name_by_id (self->refresh_source, "[paydesk] background refresh");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

/* Recording ----------------------------------------------------------------------- */

static void
recorded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PdAccountSession *self = g_task_get_source_object (task);
  g_autoptr(PdTransaction) stored = NULL;
  GError *error = NULL;

  stored = pd_ledger_upsert_transaction_finish (PD_LEDGER (source), result, &error);
  if (stored == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_signal_emit (self, signals[TRANSACTION_CHANGED], 0, stored);
  g_task_return_pointer (task, g_steal_pointer (&stored), g_object_unref);
}

static void
record (PdAccountSession *self,
        PdTransaction    *transaction,
        const char       *note,
        GTask            *task)
{
  g_autoptr(PdTransaction) copy = NULL;

  if (self->ledger == NULL)
    {
      g_task_return_new_error (task, PD_LEDGER_ERROR, PD_LEDGER_ERROR_CLOSED,
                               _("There is no transaction history to record this in: it could not be opened."));
      g_object_unref (task);
      return;
    }

  copy = pd_transaction_copy (transaction);
  claim_transaction (self->account, copy);
  /* A write that started commits even when cancelled: the task reports what happened. */
  pd_ledger_upsert_transaction_async (self->ledger, copy, note, g_task_get_cancellable (task),
                                      recorded_cb, task);
}

/**
 * pd_account_session_record_async:
 * @self: a session
 * @transaction: a transaction of this account (its account id and gateway are set here)
 * @note: (nullable): the source of the timeline events, such as "status check"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the transaction is recorded
 * @user_data: data for @callback
 *
 * Without a ledger it fails with %PD_LEDGER_ERROR_CLOSED.
 */
void
pd_account_session_record_async (PdAccountSession    *self,
                                 PdTransaction       *transaction,
                                 const char          *note,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_ACCOUNT_SESSION (self));
  g_return_if_fail (PD_IS_TRANSACTION (transaction));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_account_session_record_async);
  record (self, transaction, note, task);
}

/**
 * pd_account_session_record_finish:
 * @self: a session
 * @result: the result
 * @error: return location for a %PD_LEDGER_ERROR
 *
 * Returns: (transfer full): the transaction as the ledger stored it
 */
PdTransaction *
pd_account_session_record_finish (PdAccountSession  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_session_record_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Looking up ------------------------------------------------------------------------ */

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PdAccountSession *self = g_task_get_source_object (task);
  g_autoptr(PdTransaction) transaction = NULL;
  GError *error = NULL;

  transaction = fetch_finish (result, &error);
  if (transaction == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (self->ledger == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&transaction), g_object_unref);
      g_object_unref (task);
      return;
    }
  record (self, transaction, g_task_get_task_data (task), task);
}

/**
 * pd_account_session_look_up_async:
 * @self: a session
 * @reference: a PesoGate reference or a PaysGator transaction id
 * @flags: %PD_HTTP_FLAGS_NONE when a person waits, or %PD_HTTP_FLAGS_BACKGROUND
 * @note: (nullable): the source of the timeline events, such as "lookup"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the answer is recorded
 * @user_data: data for @callback
 */
void
pd_account_session_look_up_async (PdAccountSession    *self,
                                  const char          *reference,
                                  PdHttpFlags          flags,
                                  const char          *note,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PD_IS_ACCOUNT_SESSION (self));
  g_return_if_fail (reference != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pd_account_session_look_up_async);
  g_task_set_task_data (task, g_strdup (note), g_free);

  fetch_async (get_client (self), self->account, reference, flags, cancellable, looked_up_cb, task);
}

/**
 * pd_account_session_look_up_finish:
 * @self: a session
 * @result: the result
 * @error: return location for a %PD_GATEWAY_ERROR or %PD_LEDGER_ERROR
 *
 * Returns: (transfer full): the transaction as the ledger stored it
 */
PdTransaction *
pd_account_session_look_up_finish (PdAccountSession  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pd_account_session_look_up_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
