/* pd-application-private.h: what the parts of PdApplication share */
#pragma once

#include <adwaita.h>

#include "pd-application.h"
#include "pd-window.h"

G_BEGIN_DECLS

#define RESOURCE_PATH "/io/github/paydesk/Paydesk"

struct _PdApplication
{
  AdwApplication  parent_instance;

  PdSettings     *settings;
  PdAccountStore *account_store;
  PdSandbox      *sandbox;
  GCancellable   *cancellable;
  GtkWindow      *preferences;

  char           *ledger_path;
  PdLedger       *ledger;
  /* Set once the ledger opened or failed to. */
  gboolean        ledger_done;
  /* Why it failed, until a window shows it. */
  char           *ledger_error;
  /* open_session tasks waiting for the ledger. */
  GPtrArray      *waiting_for_ledger;
  /* Account id → SessionEntry. */
  GHashTable     *sessions;
  /* PendingOpen, one per account object being opened. */
  GPtrArray      *opening;
  gulong          accounts_changed_id;

  gboolean        demo_import_wanted;
  gboolean        demo_import_started;

  gboolean        ready;
  /* From the command line, carried out once ready. */
  gboolean        start_in_sandbox;
  char           *start_page;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ACCOUNT_STORE,
  PROP_SANDBOX,
  PROP_READY,
  PROP_LEDGER,
  PROP_LEDGER_PATH,
  N_PROPS
};

extern GParamSpec *pd_application_properties[N_PROPS];

/* The session cache, kept by pd-application-sessions.c. */
typedef struct
{
  PdAccountSession *session;
  PdAccount        *account;
  char             *fingerprint;
  gulong            notify_id;
  GBinding         *interval_binding;
} SessionEntry;

typedef struct
{
  GWeakRef   app;
  PdAccount *account;
  GPtrArray *tasks;
} PendingOpen;

/* pd-application.c */
PdWindow  *pd_application_get_main_window        (PdApplication    *self);
void       pd_application_report_error           (PdApplication    *self,
                                                  const char       *message,
                                                  const char       *detail);
GWeakRef  *pd_application_weak_ref_new           (gpointer          object);
void       pd_application_weak_ref_free          (GWeakRef         *ref);
void       pd_application_select_account         (PdApplication    *self,
                                                  const char       *account_id);
void       pd_application_open_start_page        (PdApplication    *self);

/* pd-application-sandbox.c */
PdAccount *pd_application_find_sandbox_account   (PdApplication    *self,
                                                  PdGateway         gateway);
void       pd_application_explore_sandbox        (PdApplication    *self);
void       pd_application_sync_sandbox_accounts  (PdApplication    *self);
void       pd_application_import_demo            (PdApplication    *self);

/* pd-application-sessions.c */
void       pd_application_show_ledger_error      (PdApplication    *self);
void       pd_application_ledger_opened_cb       (GObject          *source,
                                                  GAsyncResult     *result,
                                                  gpointer          user_data);
void       pd_application_session_entry_free     (SessionEntry     *entry);
void       pd_application_accounts_changed_cb    (PdApplication    *self);
void       pd_application_pending_open_unref     (PendingOpen      *pending);
void       pd_application_return_cancelled       (GPtrArray        *tasks);

/* pd-application-actions.c */
void       pd_application_add_actions            (PdApplication    *self);

G_END_DECLS
