/** A scaffolder task as its API returns it: what the flows check. */
export interface Task {
  status: string;
  spec: { parameters: Record<string, unknown>; steps: Array<{ action: string }> };
}

/** Polls the scaffolder until the task is no longer open or processing. */
export async function waitForTask(baseUrl: string, taskId: string, timeoutMs = 180_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = (await (await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${taskId}`)).json()) as Task;
    if (!['open', 'processing'].includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${task.status} after ${timeoutMs / 1000} s`);
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}
