// FuncSessions on Azure Functions Flex Consumption. Every connection is made with the app's user-assigned identity:
// storage allows no shared keys, Application Insights accepts only Entra-authenticated telemetry, and the JWT signing
// key lives in Key Vault. No app setting holds a credential: the one connection string in them, Application Insights',
// carries an instrumentation key that cannot send data while local authentication is disabled.
// Deploy with `az deployment group create` (docs/deploy.md); infra/main.bicepparam holds the parameters.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------------
// Parameters: hosting
// ---------------------------------------------------------------------------------------------------------------------

@description('Short name of this environment, e.g. "prod". It seeds the unique resource names, so keep it stable: a new value creates a new set of resources.')
@minLength(1)
@maxLength(24)
param environmentName string

@description('Region of every resource. Flex Consumption runs in a subset of regions: see `az functionapp list-flexconsumption-locations`.')
param location string = resourceGroup().location

@description('Most on-demand instances per function group (the HTTP functions scale as one group). 40 is the lowest value every region accepts.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance in MB. Each concurrent Argon2id hash holds argon2idMemoryKiB (19 MiB by default; 8 at once = 152 MiB) and CPU grows with memory, so 512 leaves little room and makes logins slow.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Public host name of the API when a custom domain is bound to the app (e.g. api.example.com, needed for cookie mode with a frontend on app.example.com). Empty: the default *.azurewebsites.net host name. Sets the token issuer and the apiBaseUrl output.')
param apiHostName string = ''

@description('Browser origins allowed to call the API with credentials, e.g. ["https://app.example.com"]. Exact origins only: "*" cannot be combined with credentials.')
param allowedOrigins string[] = []

@description('Replication of the storage account, which holds every password hash, session and throttle row. Zone-redundant by default, so a zone outage neither loses acknowledged writes nor stops logins; Standard_LRS only where the region has no zones. Standard general-purpose v2 SKUs only: the Functions host needs blobs, queues and tables in one account (docs/deploy.md, "Choices the template makes").')
@allowed([
  'Standard_ZRS'
  'Standard_GZRS'
  'Standard_RAGZRS'
  'Standard_LRS'
  'Standard_GRS'
  'Standard_RAGRS'
])
param storageSku string = 'Standard_ZRS'

@description('Key Vault purge protection (on for production): a deleted vault or signing key can then be recovered, and purged by nobody, until the 7-day soft-delete retention ends, which also keeps the vault name taken for those 7 days after a teardown. It cannot be turned off once on. Off leaves the property unset (ARM refuses false); use it only for environments that are torn down and rebuilt.')
param keyVaultPurgeProtection bool = true

// ---------------------------------------------------------------------------------------------------------------------
// Parameters: signing keys
// ---------------------------------------------------------------------------------------------------------------------

@description('Key id (JWT "kid") of the key that signs new access tokens. Letters, digits, ".", "_" and "-", at most 64 characters. Change it when rotating. Its Key Vault secret is named with "." and "_" written as "-" and case ignored, so the deployment refuses a previousSigningKeyId that would share it.')
@minLength(1)
@maxLength(64)
param signingKeyId string = 'key-1'

@description('P-256 private key for signingKeyId as one-line base64 PKCS#8 DER (or PEM); written to Key Vault. Required on the first deployment and when rotating; empty keeps the secret already in the vault. Make one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0')
@secure()
param signingKey string = ''

@description('During a rotation: the key id of the previous signing key, whose secret is already in the vault. It keeps verifying access tokens it signed. Empty once those tokens have expired.')
@maxLength(64)
param previousSigningKeyId string = ''

// ---------------------------------------------------------------------------------------------------------------------
// Parameters: second factors and passkeys (TOTP, recovery codes, WebAuthn)
// ---------------------------------------------------------------------------------------------------------------------

@description('Whether TOTP, recovery codes and passkeys are offered. On: the app reads its encryption key from the Key Vault secret "factor-encryption-key" (factorEncryptionKey). Off: the factor endpoints answer 403 factors_not_configured and password logins ask for no code, even for users who set one up.')
param secondFactors bool = true

@description('32 random bytes, base64, that encrypt TOTP secrets at rest and seal sign-in challenges; written to Key Vault (secret "factor-encryption-key"), never a plain setting, and never the signing key. Required with secondFactors on the first deployment; empty keeps the secret already in the vault. Changing it disables every enrolled TOTP authenticator. Make one with: openssl rand -base64 32')
@secure()
param factorEncryptionKey string = ''

// ---------------------------------------------------------------------------------------------------------------------
// Parameters: sign-in with an external provider (Entra ID, Google, GitHub or any OpenID Connect provider)
// ---------------------------------------------------------------------------------------------------------------------

@description('The provider\'s name in the routes (api/auth/oauth/{name}/start), lower-case letters, digits and "-", e.g. "microsoft". Empty: no external sign-in. Needs secondFactors (its key seals the sign-in cookie). More providers: add FuncSessions__External__Providers__1__* app settings the same way.')
@maxLength(32)
param externalProviderName string = ''

@description('What the sign-in button says. Empty: the name.')
@maxLength(64)
param externalProviderDisplayName string = ''

@allowed([
  'OpenIdConnect'
  'EntraId'
  'Google'
  'GitHub'
])
param externalProviderKind string = 'EntraId'

@description('OpenIdConnect only: the provider\'s issuer URL (https), whose /.well-known/openid-configuration is read.')
param externalProviderAuthority string = ''

@description('EntraId only: the tenant id (GUID), or "organizations" together with externalProviderAllowedTenants.')
param externalProviderTenantId string = ''

@description('EntraId with "organizations": the tenant ids whose users may sign in.')
param externalProviderAllowedTenants string[] = []

@description('The application (client) id the provider gave this API.')
param externalProviderClientId string = ''

@description('The client secret; written to Key Vault (secret "external-provider-client-secret") and referenced from the app settings, never a plain setting. Required with externalProviderName on the first deployment and when it changes; empty keeps the secret already in the vault.')
@secure()
param externalProviderClientSecret string = ''

@description('Space-separated scopes. Empty: "openid email profile" (GitHub: "read:user user:email").')
param externalProviderScopes string = ''

@description('The site origins a sign-in may return to (returnTo). Empty: allowedOrigins.')
param externalReturnOrigins string[] = []

@description('Whether a first external sign-in joins the account that verified the same address here, when the provider says email_verified. Off: it hands the account to whoever controls the address at the provider (docs/security.md).')
param externalLinkVerifiedEmail bool = false

@description('How long a "second factor required" sign-in and a passkey challenge stay usable (TimeSpan, 00:00:30 to 00:15:00).')
param factorChallengeLifetime string = '00:05:00'

@description('WebAuthn relying party id: the host of the page that uses passkeys, or a registrable domain above it (e.g. example.com for app.example.com and admin.example.com). Passkeys are bound to it: changing it makes every registered passkey unusable. Empty: the host of the first allowedOrigins entry; with no allowedOrigins passkeys are off.')
param passkeyRelyingPartyId string = ''

@description('Page origins allowed to run passkey ceremonies, each on passkeyRelyingPartyId or a host under it. Empty: the allowedOrigins entries on the relying party id.')
param passkeyOrigins string[] = []

// ---------------------------------------------------------------------------------------------------------------------
// Parameters: FuncSessions settings (defaults are the library's defaults)
// ---------------------------------------------------------------------------------------------------------------------

@description('How tokens reach the browser. Cookie: HttpOnly __Host- cookies; needs a frontend on the same site as the API (see apiHostName). Bearer: tokens in JSON and the Authorization header; works from any origin in allowedOrigins.')
@allowed([
  'Cookie'
  'Bearer'
])
param tokenTransport string = 'Cookie'

@description('Value of the "aud" claim in access tokens: the APIs that accept them. Empty: the API base URL.')
param tokenAudience string = ''

@description('Access-token lifetime (TimeSpan, between 00:01:00 and 01:00:00): the longest a revoked session stays usable by offline verifiers.')
param accessTokenLifetime string = '00:10:00'

@description('A session not refreshed for this long ends (TimeSpan d.hh:mm:ss).')
param sessionIdleTimeout string = '7.00:00:00'

@description('Hard cap on a session\'s age from login; never slides (TimeSpan d.hh:mm:ss).')
param sessionAbsoluteLifetime string = '30.00:00:00'

@description('How long the previous refresh token still gets the same successor, for two tabs refreshing at once (TimeSpan, at most 00:01:00).')
param refreshGracePeriod string = '00:00:10'

@description('How many spent refresh tokens a session remembers to detect reuse (2 to 32).')
@minValue(2)
@maxValue(32)
param spentTokenHistory int = 10

@description('Largest session data in bytes of compact JSON (0 to 2048: it rides in every access token, which must fit a 4 KiB cookie).')
@minValue(0)
@maxValue(2048)
param sessionDataMaxBytes int = 2048

@description('Comma-separated session-data keys clients may change with PATCH /api/auth/session (e.g. theme,locale); all others are server-only.')
param sessionDataClientWritableKeys string = ''
@description('How recent a password login must be to end other sessions or all of them (TimeSpan, 00:01:00 to 1.00:00:00).')
param reauthenticationWindow string = '00:15:00'

@description('Whether anyone may create an account with POST /api/auth/register.')
param allowRegistration bool = true

@description('Shortest accepted password in code points (8 to 64).')
@minValue(8)
@maxValue(64)
param passwordMinLength int = 15

@description('Longest accepted password in code points (64 to 4096); bounds hashing cost.')
@minValue(64)
@maxValue(4096)
param passwordMaxLength int = 1024

@description('Algorithm for new password hashes: Argon2id (default, memory-hard) or Pbkdf2. Hashes of either kind keep verifying and are upgraded to this one at the next login (the name avoids the word the linter takes for a secret).')
@allowed([
  'Argon2id'
  'Pbkdf2'
])
param hashAlgorithm string = 'Argon2id'

@description('Argon2id memory per hash in KiB (19456, OWASP\'s minimum, to 1048576). Each concurrent hash holds this much.')
@minValue(19456)
@maxValue(1048576)
param argon2idMemoryKiB int = 19456

@description('Argon2id passes (2 to 16).')
@minValue(2)
@maxValue(16)
param argon2idIterations int = 2

@description('Password hashes one instance computes at once (1 to 1024); times argon2idMemoryKiB, the memory logins may take. Over the cap a login waits up to hashQueueTimeout, then gets 503 server_busy.')
@minValue(1)
@maxValue(1024)
param maxConcurrentHashes int = 8

@description('How long a login waits for a hashing slot (TimeSpan, 00:00:00 to 00:01:00).')
param hashQueueTimeout string = '00:00:05'

@description('PBKDF2-HMAC-SHA256 iterations for new password hashes when hashAlgorithm is Pbkdf2 (600000 to 10000000).')
@minValue(600000)
@maxValue(10000000)
param pbkdf2Iterations int = 600000

@description('Your product\'s name: passwords containing it are refused (1 to 64 characters).')
@minLength(1)
@maxLength(64)
param serviceName string = 'FuncSessions'

@description('Header a trusted proxy in front of the app writes the client address into (e.g. X-Forwarded-For), for per-client throttling. Empty: the address the app sees.')
param forwardedForHeader string = ''

@description('How many trusted proxies append to forwardedForHeader (1 to 10).')
@minValue(1)
@maxValue(10)
param forwardedForHops int = 1

@description('Consecutive failed logins after which an account is locked for accountLockout (2 to 100; NIST allows at most 100).')
@minValue(2)
@maxValue(100)
param accountFailureLimit int = 10

@description('How long a locked account waits (TimeSpan, 00:01:00 to 1.00:00:00).')
param accountLockout string = '00:15:00'

@description('Failed logins and refreshes with an unknown token one client address may make per clientWindow (5 to 1000000).')
@minValue(5)
@maxValue(1000000)
param clientLimit int = 100

@description('The window clientLimit counts in (TimeSpan, 00:01:00 to 1.00:00:00).')
param clientWindow string = '00:15:00'

@description('Successful registrations one client address may make per clientWindow, a budget of its own (1 to 1000000).')
@minValue(1)
@maxValue(1000000)
param registrationsPerClientWindow int = 100

@description('Largest accepted request body in bytes (1024 to 1048576).')
@minValue(1024)
@maxValue(1048576)
param maxRequestBodyBytes int = 16384

@description('Prefix of the four table names ({prefix}Users, {prefix}Sessions, {prefix}SessionExpiry, {prefix}Throttles). Letters and digits, starting with a letter.')
@minLength(1)
@maxLength(41)
param tablePrefix string = 'FuncSessions'

@description('When expired sessions are swept: six-field NCRONTAB (seconds first), UTC.')
param sweepSchedule string = '0 */15 * * * *'

// ---------------------------------------------------------------------------------------------------------------------
// Email (verification, password reset, email change; docs/deploy.md, "Email")
// ---------------------------------------------------------------------------------------------------------------------

@description('SMTP server mail goes out through, e.g. smtp.azurecomm.net (Azure Communication Services) or smtp.sendgrid.net. Empty: email is off, the email endpoints answer 403 email_disabled and registration takes no address.')
param smtpHost string = ''

@description('SMTP port: 587 for submission with STARTTLS, 465 with smtpSecurity SslOnConnect.')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('How the SMTP connection is protected. None (plain text) is for local mail catchers only.')
@allowed([
  'StartTls'
  'SslOnConnect'
  'None'
])
param smtpSecurity string = 'StartTls'

@description('SMTP AUTH user name, e.g. the Entra application\'s SMTP username for Azure Communication Services. Empty: no authentication.')
param smtpUser string = ''

@description('SMTP AUTH password; written to Key Vault (secret "smtp-password") and referenced from the app settings, never a plain setting. Required with smtpUser on the first deployment and when it changes; empty keeps the secret already in the vault.')
@secure()
param smtpPassword string = ''

@description('The page of your static site that completes the email links, e.g. https://app.example.com/ (links add #action=...&token=...). Required with smtpHost.')
param emailLinkBaseUrl string = ''

@description('From address of every mail, e.g. no-reply@example.com (with Azure Communication Services: a sender of a verified domain). Required with smtpHost.')
param emailFromAddress string = ''

@description('From display name. Empty: serviceName.')
@maxLength(64)
param emailFromName string = ''

@description('How long a verification link works (TimeSpan, 00:05:00 to 7.00:00:00).')
param verificationLinkLifetime string = '1.00:00:00'

@description('How long a password-reset link works (TimeSpan, 00:05:00 to 1.00:00:00).')
param resetLinkLifetime string = '00:30:00'

@description('How long an email-change confirmation link works (TimeSpan, 00:05:00 to 1.00:00:00).')
param emailChangeLinkLifetime string = '01:00:00'

@description('Whether an account whose address was never verified may not log in. Empty: exactly when email is on (smtpHost set).')
@allowed([
  ''
  'true'
  'false'
])
param requireVerifiedEmail string = ''

// ---------------------------------------------------------------------------------------------------------------------
// Names and role definitions
// ---------------------------------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var tags = {
  application: 'funcsessions'
  environment: environmentName
}

var functionAppName = '${abbrs.functionApp}${resourceToken}'
var deploymentContainerName = 'app-package'
var tableSuffixes = [
  'Users'
  'Sessions'
  'SessionExpiry'
  'Throttles'
  'Tokens'
]

// The mail queue the HTTP functions enqueue on and the queue trigger reads (FuncSessionsMailQueue): the app's default
// name, {prefix}mail in lower case; the host moves failed messages to {queue}-poison.
var mailQueueName = '${toLower(tablePrefix)}mail'

// host.json's extensions.queues.maxDequeueCount: the app counts attempts with the same number for its audit event.
var mailDeliveryAttempts = 5
var smtpPasswordSecretName = 'smtp-password'

// Key Vault secret names allow only letters, digits and "-", while key ids also allow "." and "_".
func secretNameOf(keyId string) string => 'signing-key-${replace(replace(keyId, '.', '-'), '_', '-')}'

// The library's pattern for a key id, ^[A-Za-z0-9._-]{1,64}$ (TokenOptions): ARM has no regular expressions.
func isKeyId(keyId string) bool =>
  length(keyId) >= 1 && length(keyId) <= 64 && empty(filter(
    map(range(0, length(keyId)), i => substring(keyId, i, 1)),
    c => !contains('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-', c)
  ))

// fail() stops the deployment during template validation, before anything is written. Without these checks "key.1",
// "key_1" and "Key-1" share one secret (Key Vault ignores case), so a rotation between them would overwrite the key
// that still has to verify the tokens it signed.
var signingKeySecretName = isKeyId(signingKeyId)
  ? secretNameOf(signingKeyId)
  : fail('signingKeyId "${signingKeyId}" is not a key id: use 1 to 64 letters, digits, ".", "_" or "-".')
var previousSigningKeySecretName = empty(previousSigningKeyId)
  ? secretNameOf(previousSigningKeyId)
  : !isKeyId(previousSigningKeyId)
      ? fail('previousSigningKeyId "${previousSigningKeyId}" is not a key id: use 1 to 64 letters, digits, ".", "_" or "-".')
      : toLower(secretNameOf(previousSigningKeyId)) == toLower(signingKeySecretName)
          ? fail('signingKeyId "${signingKeyId}" and previousSigningKeyId "${previousSigningKeyId}" map to the same Key Vault secret "${signingKeySecretName}" (secret names turn "." and "_" into "-" and ignore case): choose a new key id that differs in a letter or digit.')
          : secretNameOf(previousSigningKeyId)

// ---------------------------------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------------------------------

// User-assigned rather than system-assigned: the identity and its role assignments exist before the app starts, so
// its first start already reaches storage and Key Vault.
resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${abbrs.managedIdentity}${resourceToken}'
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------------------------------
// Storage: host storage, deployment packages and the session tables in one account
// ---------------------------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${abbrs.storageAccount}${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: storageSku
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// The app also creates missing tables at start-up; creating them here makes the deployment, not the first start,
// fail on a bad table prefix, and keeps their names next to the setting that tells the app about them.
resource sessionTables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for suffix in tableSuffixes: {
    parent: tableService
    name: '${tablePrefix}${suffix}'
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Created here as the tables are; the app (and the host, for the poison queue) would create them on first use.
resource mailQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for name in [mailQueueName, '${mailQueueName}-poison']: {
    parent: queueService
    name: name
  }
]

// ---------------------------------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------------------------------

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${abbrs.logAnalyticsWorkspace}${resourceToken}'
  location: location
  tags: tags
  properties: {
    retentionInDays: 30
    sku: {
      name: 'PerGB2018'
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${abbrs.appInsights}${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry is accepted only with an Entra token of an identity holding Monitoring Metrics Publisher.
    DisableLocalAuth: true
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Key Vault: the signing keys and the second factors' encryption key
// ---------------------------------------------------------------------------------------------------------------------

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${abbrs.keyVault}${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    // The shortest retention, so the name of a deleted environment's vault frees up soon (docs/deploy.md, tear down).
    softDeleteRetentionInDays: 7
    // ARM refuses false, so "off" leaves the property unset (null is not sent).
    enablePurgeProtection: keyVaultPurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(signingKey)) {
  parent: keyVault
  name: signingKeySecretName
  properties: {
    value: signingKey
    contentType: 'application/pkcs8'
  }
}

// Read back (not written) when no key is passed, so a first deployment without one fails here with SecretNotFound
// instead of deploying an app that cannot start.
resource keptSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = if (empty(signingKey)) {
  parent: keyVault
  name: signingKeySecretName
}

var factorKeySecretName = 'factor-encryption-key'

resource factorKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (secondFactors && !empty(factorEncryptionKey)) {
  parent: keyVault
  name: factorKeySecretName
  properties: {
    value: factorEncryptionKey
    contentType: 'application/octet-stream;base64'
  }
}

// As for the signing key: read back when none is passed, so a first deployment without one fails with SecretNotFound.
resource keptFactorKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = if (secondFactors && empty(factorEncryptionKey)) {
  parent: keyVault
  name: factorKeySecretName
}

var externalSecretName = 'external-provider-client-secret'

resource externalClientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(externalProviderName) && !empty(externalProviderClientSecret)) {
  parent: keyVault
  name: externalSecretName
  properties: {
    value: externalProviderClientSecret
  }
}

// As for the other secrets: read back when none is passed, so a first deployment without one fails with SecretNotFound.
resource keptExternalClientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = if (!empty(externalProviderName) && empty(externalProviderClientSecret)) {
  parent: keyVault
  name: externalSecretName
}

resource previousSigningKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = if (!empty(previousSigningKeyId)) {
  parent: keyVault
  name: previousSigningKeySecretName
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(smtpPassword)) {
  parent: keyVault
  name: smtpPasswordSecretName
  properties: {
    value: smtpPassword
    contentType: 'text/plain'
  }
}

// Read back for the app setting's reference (after the write above, when there is one), so a user without a password in
// the vault fails the deployment, not the first mail.
resource keptSmtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = if (!empty(smtpUser)) {
  parent: keyVault
  name: smtpPasswordSecretName
}

// ---------------------------------------------------------------------------------------------------------------------
// Role assignments of the app's identity
// ---------------------------------------------------------------------------------------------------------------------

// A module because an assignment's name must be known when the deployment starts, and the identity's principal id is
// known only once the identity exists; a module parameter is evaluated before the module runs.
module appRoles 'app-roles.bicep' = {
  name: 'app-roles-${resourceToken}'
  params: {
    principalId: appIdentity.properties.principalId
    storageAccountName: storage.name
    appInsightsName: appInsights.name
    keyVaultName: keyVault.name
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Function app
// ---------------------------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${abbrs.serverFarm}${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

// Runtime and version come from functionAppConfig: Flex rejects FUNCTIONS_WORKER_RUNTIME, linuxFxVersion and friends.
resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  // Note: azd deploys the `api` service of azure.yaml to the resource carrying this tag.
  tags: {
    application: tags.application
    environment: tags.environment
    'azd-service-name': 'api'
  }
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${appIdentity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: appIdentity.id
    siteConfig: {
      minTlsVersion: '1.2'
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: true
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: appIdentity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

var apiBaseUrl = 'https://${empty(apiHostName) ? functionApp.properties.defaultHostName : apiHostName}/api'
var signingKeySecretUri = empty(signingKey)
  ? keptSigningKeySecret!.properties.secretUri
  : signingKeySecret!.properties.secretUri

// Second factors: the key is always a Key Vault reference (the secret written above or the one kept in the vault).
var factorKeySetting = !secondFactors
  ? ''
  : '@Microsoft.KeyVault(SecretUri=${empty(factorEncryptionKey) ? keptFactorKeySecret!.properties.secretUri : factorKeySecret!.properties.secretUri})'

// WebAuthn runs in the page, so the relying party is the page's host (allowedOrigins), not the API's.
func hostOf(origin string) string => split(split(origin, '/')[2], ':')[0]
var relyingPartyId = !secondFactors
  ? ''
  : !empty(passkeyRelyingPartyId) ? passkeyRelyingPartyId : empty(allowedOrigins) ? '' : hostOf(allowedOrigins[0])
var passkeyOriginList = empty(relyingPartyId)
  ? []
  : !empty(passkeyOrigins)
      ? passkeyOrigins
      : filter(allowedOrigins, o => hostOf(o) == relyingPartyId || endsWith(hostOf(o), '.${relyingPartyId}'))

// The external provider's client secret is always a Key Vault reference; no provider, no secret.
var externalClientSecretSetting = empty(externalProviderName)
  ? ''
  : '@Microsoft.KeyVault(SecretUri=${empty(externalProviderClientSecret) ? keptExternalClientSecret!.properties.secretUri : externalClientSecret!.properties.secretUri})'

// Setting names are the library's configuration keys in environment-variable form (":" written as "__");
// tests/FuncSessions.Infra.Tests checks each against the options classes.
var funcSessionsSettings = {
  FuncSessions__Storage__Connection: 'AzureWebJobsStorage'
  FuncSessions__Storage__TablePrefix: tablePrefix
  FuncSessions__Storage__ExpiryIndexShards: '10'
  FuncSessions__Tokens__Issuer: apiBaseUrl
  FuncSessions__Tokens__Audience: empty(tokenAudience) ? apiBaseUrl : tokenAudience
  FuncSessions__Tokens__AccessTokenLifetime: accessTokenLifetime
  FuncSessions__Tokens__SigningKeys__0__KeyId: signingKeyId
  FuncSessions__Tokens__SigningKeys__0__PrivateKey: '@Microsoft.KeyVault(SecretUri=${signingKeySecretUri})'
  FuncSessions__Sessions__IdleTimeout: sessionIdleTimeout
  FuncSessions__Sessions__AbsoluteLifetime: sessionAbsoluteLifetime
  FuncSessions__Sessions__RefreshGracePeriod: refreshGracePeriod
  FuncSessions__Sessions__SpentTokenHistory: string(spentTokenHistory)
  FuncSessions__Sessions__MaxDataBytes: string(sessionDataMaxBytes)
  FuncSessions__Sessions__ClientWritableDataKeys: sessionDataClientWritableKeys
  FuncSessions__Sessions__ReauthenticationWindow: reauthenticationWindow
  FuncSessions__Passwords__MinLength: string(passwordMinLength)
  FuncSessions__Passwords__MaxLength: string(passwordMaxLength)
  FuncSessions__Passwords__Algorithm: hashAlgorithm
  FuncSessions__Passwords__Argon2idMemoryKiB: string(argon2idMemoryKiB)
  FuncSessions__Passwords__Argon2idIterations: string(argon2idIterations)
  FuncSessions__Passwords__MaxConcurrentHashes: string(maxConcurrentHashes)
  FuncSessions__Passwords__HashQueueTimeout: hashQueueTimeout
  FuncSessions__Passwords__Pbkdf2Iterations: string(pbkdf2Iterations)
  FuncSessions__Passwords__ServiceName: serviceName
  FuncSessions__Users__AllowRegistration: string(allowRegistration)
  FuncSessions__Http__TokenTransport: tokenTransport
  FuncSessions__Http__MaxRequestBodyBytes: string(maxRequestBodyBytes)
  // The library's origin check uses the same list as the platform CORS above (siteConfig.cors).
  FuncSessions__Http__AllowedOrigins: join(allowedOrigins, ',')
  FuncSessions__Factors__EncryptionKey: factorKeySetting
  FuncSessions__Factors__TotpIssuer: serviceName
  FuncSessions__Factors__ChallengeLifetime: factorChallengeLifetime
  FuncSessions__Passkeys__RelyingPartyId: relyingPartyId
  FuncSessions__Passkeys__RelyingPartyName: serviceName
  FuncSessions__Passkeys__Origins: join(passkeyOriginList, ',')
  FuncSessions__External__ReturnOrigins: join(empty(externalReturnOrigins) ? allowedOrigins : externalReturnOrigins, ',')
  FuncSessions__External__LinkVerifiedEmail: string(externalLinkVerifiedEmail)
  // One provider slot; an empty name leaves it unused.
  FuncSessions__External__Providers__0__Name: externalProviderName
  FuncSessions__External__Providers__0__DisplayName: externalProviderDisplayName
  FuncSessions__External__Providers__0__Kind: externalProviderKind
  FuncSessions__External__Providers__0__Authority: externalProviderAuthority
  FuncSessions__External__Providers__0__TenantId: externalProviderTenantId
  FuncSessions__External__Providers__0__AllowedTenants: join(externalProviderAllowedTenants, ',')
  FuncSessions__External__Providers__0__ClientId: externalProviderClientId
  FuncSessions__External__Providers__0__ClientSecret: externalClientSecretSetting
  FuncSessions__External__Providers__0__Scopes: externalProviderScopes
  FuncSessions__Http__ForwardedForHeader: forwardedForHeader
  FuncSessions__Http__ForwardedForHops: string(forwardedForHops)
  FuncSessions__Throttling__AccountFailureLimit: string(accountFailureLimit)
  FuncSessions__Throttling__AccountLockout: accountLockout
  FuncSessions__Throttling__ClientLimit: string(clientLimit)
  FuncSessions__Throttling__ClientWindow: clientWindow
  FuncSessions__Throttling__AccountFailureMemory: '1.00:00:00'
  FuncSessions__Throttling__RegistrationsPerClientWindow: string(registrationsPerClientWindow)
  FuncSessionsSweepSchedule: sweepSchedule
}

// The SMTP password is always a Key Vault reference; no user, no password (no SMTP AUTH).
var smtpPasswordSetting = empty(smtpUser) ? '' : '@Microsoft.KeyVault(SecretUri=${keptSmtpPasswordSecret!.properties.secretUri})'

var emailSettings = {
  FuncSessions__Users__RequireVerifiedEmail: requireVerifiedEmail
  FuncSessions__Email__LinkBaseUrl: emailLinkBaseUrl
  FuncSessions__Email__FromAddress: emailFromAddress
  FuncSessions__Email__FromName: emailFromName
  FuncSessions__Email__VerificationLinkLifetime: verificationLinkLifetime
  FuncSessions__Email__PasswordResetLinkLifetime: resetLinkLifetime
  FuncSessions__Email__EmailChangeLinkLifetime: emailChangeLinkLifetime
  FuncSessions__Email__TemplateFolder: ''
  FuncSessions__Email__MaxDeliveryAttempts: string(mailDeliveryAttempts)
  // The self-host's worker pacing; in Azure host.json's extensions.queues paces the queue trigger.
  FuncSessions__Email__RetryDelay: '00:00:10'
  FuncSessions__Email__PollInterval: '00:00:02'
  FuncSessions__Email__Smtp__Host: smtpHost
  FuncSessions__Email__Smtp__Port: string(smtpPort)
  FuncSessions__Email__Smtp__Security: smtpSecurity
  FuncSessions__Email__Smtp__User: smtpUser
  FuncSessions__Email__Smtp__Password: smtpPasswordSetting
  FuncSessionsMailQueue: mailQueueName
}

var previousSigningKeySettings = empty(previousSigningKeyId)
  ? {}
  : {
      FuncSessions__Tokens__SigningKeys__1__KeyId: previousSigningKeyId
      FuncSessions__Tokens__SigningKeys__1__PrivateKey: '@Microsoft.KeyVault(SecretUri=${previousSigningKeySecret!.properties.secretUri})'
    }

// One connection setting serves the Functions host and FuncSessions' tables (FuncSessions__Storage__Connection).
var platformSettings = {
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: appIdentity.properties.clientId
  // A plain value, as in Microsoft's Flex samples: the portal's Monitor and Invocations views read this setting and stay
  // empty for a Key Vault reference. Its instrumentation key cannot send data here: the component accepts only Entra
  // tokens, which the host gets with the identity named in the authentication string (Monitoring Metrics Publisher).
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${appIdentity.properties.clientId};Authorization=AAD'
  // The host buffers up to 100 MiB of a request body before the worker sees it; FuncSessions refuses more than
  // maxRequestBodyBytes anyway. Four times that (64 KiB at least) lets the app, not the host, answer a body that is
  // slightly too large with its own 413, and stops every larger one at the host.
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: string(max(65536, 4 * maxRequestBodyBytes))
}

// Written after the role assignments so the first start finds its storage and Key Vault access in place.
// This resource replaces all app settings on each deployment: change settings here, not in the portal.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(platformSettings, funcSessionsSettings, emailSettings, previousSigningKeySettings)
  dependsOn: [
    appRoles
    sessionTables
    mailQueues
    smtpPasswordSecret
  ]
}

// ---------------------------------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------------------------------

@description('Name of the function app, for `az functionapp deployment source config-zip`.')
output functionAppName string = functionApp.name

@description('Default host name of the function app (*.azurewebsites.net).')
output defaultHostName string = functionApp.properties.defaultHostName

@description('Base URL of the API; the auth endpoints are under {apiBaseUrl}/auth/.')
output apiBaseUrl string = apiBaseUrl

@description('Name of the Key Vault holding the signing keys.')
output keyVaultName string = keyVault.name

@description('Name of the storage account holding the session tables.')
output storageAccountName string = storage.name
