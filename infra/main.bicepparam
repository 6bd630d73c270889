// Parameters for `az deployment group create --resource-group <rg> --parameters infra/main.bicepparam`.
// Every parameter not listed keeps the default documented in main.bicep. docs/deploy.md walks through each step.
using 'main.bicep'

// azd sets AZURE_ENV_NAME (azd up); a manual deployment without it is 'prod'.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'prod')

// Read from the environment so the key never lands in a file: set it for the first deployment and for a rotation,
// leave it unset otherwise (the key already in Key Vault is kept).
param signingKey = readEnvironmentVariable('FUNCSESSIONS_SIGNING_KEY', '')

// Likewise the key that encrypts TOTP secrets (openssl rand -base64 32): set it for the first deployment only.
param factorEncryptionKey = readEnvironmentVariable('FUNCSESSIONS_FACTOR_KEY', '')

// The key that signs; during a rotation also the one it replaces (docs/deploy.md, "Rotate the signing key").
param signingKeyId = 'key-1'
param previousSigningKeyId = ''

// Cookie needs the frontend on the same site as the API (a custom domain, see apiHostName); a frontend on another
// site (e.g. *.azurestaticapps.net calling *.azurewebsites.net) needs Bearer.
param tokenTransport = 'Cookie'

// The exact origins of your frontend, e.g. ['https://app.example.com'].
param allowedOrigins = []

// Set once a custom domain is bound to the function app, e.g. 'api.example.com'.
param apiHostName = ''

// Email is off until smtpHost is set (docs/deploy.md, "Email"). The SMTP password is read from the environment like
// the signing key and written to Key Vault; leave it unset to keep the one already there.
param smtpHost = ''
param smtpPassword = readEnvironmentVariable('FUNCSESSIONS_SMTP_PASSWORD', '')
param emailLinkBaseUrl = ''
