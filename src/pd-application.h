/* pd-application.h: Paydesk's AdwApplication: settings, accounts, ledger, sessions, sandbox, app actions */
#pragma once

#include <adwaita.h>

#include "pd-account-session.h"
#include "pd-account-store.h"
#include "pd-ledger.h"
#include "pd-sandbox.h"
#include "pd-settings.h"

G_BEGIN_DECLS

#define PD_TYPE_APPLICATION (pd_application_get_type ())

G_DECLARE_FINAL_TYPE (PdApplication, pd_application, PD, APPLICATION, AdwApplication)

PdApplication  *pd_application_new                    (PdSettings          *settings,
                                                       PdAccountStore      *account_store);
PdSettings     *pd_application_get_settings           (PdApplication       *self);
PdAccountStore *pd_application_get_account_store      (PdApplication       *self);
PdSandbox      *pd_application_get_sandbox            (PdApplication       *self);
gboolean        pd_application_get_ready              (PdApplication       *self);

PdLedger       *pd_application_get_ledger             (PdApplication       *self);

void            pd_application_open_session_async     (PdApplication       *self,
                                                       PdAccount           *account,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
PdAccountSession *pd_application_open_session_finish  (PdApplication       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

void            pd_application_explore_sandbox_async  (PdApplication       *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
char           *pd_application_explore_sandbox_finish (PdApplication       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
