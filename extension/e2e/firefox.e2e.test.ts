import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/** No Firefox runs here; this proves the Firefox build is made and asks for what Firefox needs. */
describe('the Firefox build', () => {
  it('builds an MV2 extension with the same content scripts, popup and options page', () => {
    const root = join(import.meta.dirname, '..')
    execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: root, stdio: 'pipe' })
    const manifest = JSON.parse(readFileSync(join(root, '.output', 'firefox-mv2', 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({
      manifest_version: 2,
      permissions: ['storage', 'http://localhost/*', 'http://127.0.0.1/*'],
      optional_permissions: ['https://*/*', 'http://*/*'],
      background: { scripts: ['background.js'] },
      browser_action: { default_popup: 'popup.html' },
      options_ui: { page: 'options.html', open_in_tab: true },
      browser_specific_settings: {
        gecko: {
          id: 'extension@signet.dev',
          data_collection_permissions: { required: ['personalCommunications'] },
        },
      },
    })
    expect(manifest.content_scripts).toEqual([
      {
        matches: [
          'https://mail.google.com/*',
          'https://outlook.live.com/*',
          'https://outlook.office.com/*',
          'https://outlook.office365.com/*',
        ],
        all_frames: true,
        run_at: 'document_idle',
        js: ['content-scripts/content.js'],
      },
    ])
  })
})
