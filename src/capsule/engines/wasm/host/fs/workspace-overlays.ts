import { join } from 'node:path';
import { WorkspaceOverlay } from './workspace-overlay.js';

/** One copy-on-write overlay per capsule over the shared workspace (`<root>/<capsule>/`). */
export class WorkspaceOverlays {
  readonly workspace: string;
  readonly root: string;
  private readonly byCapsule = new Map<string, WorkspaceOverlay>();

  constructor(workspace: string, root: string) {
    this.workspace = workspace;
    this.root = root;
  }

  get(capsule: string): WorkspaceOverlay {
    let overlay = this.byCapsule.get(capsule);
    if (overlay === undefined) {
      overlay = new WorkspaceOverlay(this.workspace, join(this.root, capsule));
      this.byCapsule.set(capsule, overlay);
    }
    return overlay;
  }
}
