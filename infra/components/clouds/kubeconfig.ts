// Kubeconfigs that hold no credential: each user entry runs the cloud CLI for a short-lived token.

export interface ExecKubeconfig {
  name: string;
  server: string;
  caData: string;
  exec: { command: string; args: string[]; env?: { name: string; value: string }[] };
}

/** A kubeconfig as JSON (valid YAML), for the k8s provider and for `pulumi stack output`. */
export function execKubeconfig({ name, server, caData, exec }: ExecKubeconfig): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server, 'certificate-authority-data': caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
    users: [{ name, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', interactiveMode: 'Never', ...exec } } }],
  });
}
