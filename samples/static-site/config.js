// Where this page finds the APIs. Edit for your deployment (see "Static-site client" in the README):
// - same origin, or a custom domain on the same site as the API: apiBase '' or the API's URL, transport 'cookie';
// - a cross-site API: its URL, transport 'bearer' (and the page's origin in the API's CORS allowlist).
export default {
  apiBase: '',
  transport: 'cookie',
  protectedApiBase: 'http://localhost:7072',
};
