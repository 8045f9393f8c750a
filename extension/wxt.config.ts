import preact from '@preact/preset-vite'
import { defineConfig } from 'wxt'

export default defineConfig({
  srcDir: 'src',
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Signet',
    description: 'Inserts your company signature and the campaign banner that fits your recipients.',
    permissions: ['storage'],
    // A local `npm start` works out of the box; any other API address is asked for (one origin)
    // when the user signs in from the popup, so the extension never holds blanket host access.
    host_permissions: ['http://localhost/*', 'http://127.0.0.1/*'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // Firefox builds MV2, where optional host access is listed under optional_permissions.
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'extension@signet.dev',
              // Firefox asks consent for what leaves the browser: the recipients of the email being
              // written go to the workspace's Signet API, which chooses the banner.
              data_collection_permissions: { required: ['personalCommunications'] },
            },
          },
          optional_permissions: ['https://*/*', 'http://*/*'],
        }
      : {}),
  }),
})
