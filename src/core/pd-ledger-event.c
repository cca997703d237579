#define G_LOG_DOMAIN "pd-ledger-event"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "pd-ledger-event.h"

struct _PdLedgerEvent
{
  GObject parent_instance;

  gint64             ledger_id;
  gint64             transaction_id;
  PdLedgerEventKind  kind;
  PdStatus           status;
  char              *gateway_status;
  gint64             at;
  char              *note;
};

G_DEFINE_FINAL_TYPE (PdLedgerEvent, pd_ledger_event, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdLedgerEventKind, pd_ledger_event_kind,
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_CREATED, "created"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_STATUS_CHANGED, "status-changed"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_CHALLENGE_SHOWN, "challenge-shown"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_CHALLENGE_ENDED, "challenge-ended"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_RESULT, "result"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_REFUND, "refund"),
  G_DEFINE_ENUM_VALUE (PD_LEDGER_EVENT_NOTE, "note"))

enum
{
  PROP_0,
  PROP_LEDGER_ID,
  PROP_TRANSACTION_ID,
  PROP_KIND,
  PROP_STATUS,
  PROP_GATEWAY_STATUS,
  PROP_AT,
  PROP_NOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Replaces *@field by a copy of @value; TRUE when that changed anything. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
pd_ledger_event_finalize (GObject *object)
{
  PdLedgerEvent *self = PD_LEDGER_EVENT (object);

  g_free (self->gateway_status);
  g_free (self->note);

  G_OBJECT_CLASS (pd_ledger_event_parent_class)->finalize (object);
}

static void
pd_ledger_event_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdLedgerEvent *self = PD_LEDGER_EVENT (object);

  switch (prop_id)
    {
    case PROP_LEDGER_ID:
      g_value_set_int64 (value, self->ledger_id);
      break;

    case PROP_TRANSACTION_ID:
      g_value_set_int64 (value, self->transaction_id);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_GATEWAY_STATUS:
      g_value_set_string (value, self->gateway_status);
      break;

    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_ledger_event_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdLedgerEvent *self = PD_LEDGER_EVENT (object);

  switch (prop_id)
    {
    case PROP_LEDGER_ID:
      pd_ledger_event_set_ledger_id (self, g_value_get_int64 (value));
      break;

    case PROP_TRANSACTION_ID:
      pd_ledger_event_set_transaction_id (self, g_value_get_int64 (value));
      break;

    case PROP_KIND:
      pd_ledger_event_set_kind (self, g_value_get_enum (value));
      break;

    case PROP_STATUS:
      pd_ledger_event_set_status (self, g_value_get_enum (value));
      break;

    case PROP_GATEWAY_STATUS:
      pd_ledger_event_set_gateway_status (self, g_value_get_string (value));
      break;

    case PROP_AT:
      pd_ledger_event_set_at (self, g_value_get_int64 (value));
      break;

    case PROP_NOTE:
      pd_ledger_event_set_note (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_ledger_event_class_init (PdLedgerEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pd_ledger_event_finalize;
  object_class->get_property = pd_ledger_event_get_property;
  object_class->set_property = pd_ledger_event_set_property;

  properties[PROP_LEDGER_ID] =
    g_param_spec_int64 ("ledger-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The transaction's ledger id. */
  properties[PROP_TRANSACTION_ID] =
    g_param_spec_int64 ("transaction-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       PD_TYPE_LEDGER_EVENT_KIND, PD_LEDGER_EVENT_NOTE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The status the transaction had then. */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       PD_TYPE_STATUS, PD_STATUS_UNKNOWN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_GATEWAY_STATUS] =
    g_param_spec_string ("gateway-status", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_AT] =
    g_param_spec_int64 ("at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* Where it came from or why, in a few words. */
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_ledger_event_init (PdLedgerEvent *self)
{
  self->kind = PD_LEDGER_EVENT_NOTE;
  self->status = PD_STATUS_UNKNOWN;
}

const char *
pd_ledger_event_kind_to_key (PdLedgerEventKind kind)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (PD_TYPE_LEDGER_EVENT_KIND);
  GEnumValue *value = g_enum_get_value (klass, kind);

  g_return_val_if_fail (value != NULL, NULL);

  return value->value_nick;
}

/* A key from a newer Paydesk reads as a note rather than failing the timeline. */
PdLedgerEventKind
pd_ledger_event_kind_from_key (const char *key)
{
  g_autoptr(GEnumClass) klass = NULL;
  GEnumValue *value;

  if (key == NULL)
    return PD_LEDGER_EVENT_NOTE;
  klass = g_type_class_ref (PD_TYPE_LEDGER_EVENT_KIND);
  value = g_enum_get_value_by_nick (klass, key);

  return value != NULL ? (PdLedgerEventKind) value->value : PD_LEDGER_EVENT_NOTE;
}

const char *
pd_ledger_event_kind_get_label (PdLedgerEventKind kind)
{
  switch (kind)
    {
    case PD_LEDGER_EVENT_CREATED:
      return _("Created");
    case PD_LEDGER_EVENT_STATUS_CHANGED:
      return _("Status changed");
    case PD_LEDGER_EVENT_CHALLENGE_SHOWN:
      /* Translators: the bank's 3-D Secure page was shown to the payer */
      return _("Challenge shown");
    case PD_LEDGER_EVENT_CHALLENGE_ENDED:
      return _("Challenge ended");
    case PD_LEDGER_EVENT_RESULT:
      return _("Result");
    case PD_LEDGER_EVENT_REFUND:
      return _("Refund");
    case PD_LEDGER_EVENT_NOTE:
    default:
      return _("Note");
    }
}

PdLedgerEvent *
pd_ledger_event_new (void)
{
  return g_object_new (PD_TYPE_LEDGER_EVENT, NULL);
}

/* A snapshot for another thread: the copy shares nothing with @self. */
PdLedgerEvent *
pd_ledger_event_copy (PdLedgerEvent *self)
{
  PdLedgerEvent *copy;

  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), NULL);

  copy = pd_ledger_event_new ();
  copy->ledger_id = self->ledger_id;
  copy->transaction_id = self->transaction_id;
  copy->kind = self->kind;
  copy->status = self->status;
  copy->gateway_status = g_strdup (self->gateway_status);
  copy->at = self->at;
  copy->note = g_strdup (self->note);

  return copy;
}

gint64
pd_ledger_event_get_ledger_id (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), 0);

  return self->ledger_id;
}

void
pd_ledger_event_set_ledger_id (PdLedgerEvent *self,
                               gint64         ledger_id)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));
  g_return_if_fail (ledger_id >= 0);

  if (self->ledger_id == ledger_id)
    return;
  self->ledger_id = ledger_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEDGER_ID]);
}

gint64
pd_ledger_event_get_transaction_id (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), 0);

  return self->transaction_id;
}

void
pd_ledger_event_set_transaction_id (PdLedgerEvent *self,
                                    gint64         transaction_id)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));
  g_return_if_fail (transaction_id >= 0);

  if (self->transaction_id == transaction_id)
    return;
  self->transaction_id = transaction_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION_ID]);
}

PdLedgerEventKind
pd_ledger_event_get_kind (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), PD_LEDGER_EVENT_NOTE);

  return self->kind;
}

void
pd_ledger_event_set_kind (PdLedgerEvent     *self,
                          PdLedgerEventKind  kind)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

PdStatus
pd_ledger_event_get_status (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), PD_STATUS_UNKNOWN);

  return self->status;
}

void
pd_ledger_event_set_status (PdLedgerEvent *self,
                            PdStatus       status)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

const char *
pd_ledger_event_get_gateway_status (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), NULL);

  return self->gateway_status;
}

void
pd_ledger_event_set_gateway_status (PdLedgerEvent *self,
                                    const char    *gateway_status)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));

  if (!set_string (&self->gateway_status, gateway_status))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GATEWAY_STATUS]);
}

gint64
pd_ledger_event_get_at (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), 0);

  return self->at;
}

void
pd_ledger_event_set_at (PdLedgerEvent *self,
                        gint64         at)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));
  g_return_if_fail (at >= 0);

  if (self->at == at)
    return;
  self->at = at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AT]);
}

const char *
pd_ledger_event_get_note (PdLedgerEvent *self)
{
  g_return_val_if_fail (PD_IS_LEDGER_EVENT (self), NULL);

  return self->note;
}

void
pd_ledger_event_set_note (PdLedgerEvent *self,
                          const char    *note)
{
  g_return_if_fail (PD_IS_LEDGER_EVENT (self));

  if (!set_string (&self->note, note))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}
