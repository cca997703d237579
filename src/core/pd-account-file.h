/* pd-account-file.h: the account store's key file, internal to the core */
#pragma once

#include <gio/gio.h>

#include "pd-account.h"

G_BEGIN_DECLS

typedef enum
{
  PD_ACCOUNT_FILE_ADD,
  PD_ACCOUNT_FILE_UPDATE,
  PD_ACCOUNT_FILE_REMOVE,
} PdAccountFileChange;

typedef struct
{
  PdAccountFileChange  change;
  char                *account_id;
  GKeyFile            *fields;         /* the account's group, for PD_ACCOUNT_FILE_ADD and PD_ACCOUNT_FILE_UPDATE */
  gboolean             secrets_given;  /* PD_ACCOUNT_FILE_UPDATE: new secrets came along */
} PdAccountFileJob;

gboolean   pd_account_file_invalid      (GError            **error,
                                         const char         *message);

void       pd_account_file_job_free     (PdAccountFileJob   *job);

GKeyFile  *pd_account_file_from_account (PdAccount          *account,
                                         PdMode              mode);
PdAccount *pd_account_file_to_account   (GKeyFile           *key_file,
                                         const char         *group);

gboolean   pd_account_file_read         (const char         *path,
                                         GKeyFile           *key_file,
                                         GError            **error);
gboolean   pd_account_file_apply        (const char         *path,
                                         GMutex             *lock,
                                         PdAccountFileJob   *job,
                                         GError            **error);

G_END_DECLS
