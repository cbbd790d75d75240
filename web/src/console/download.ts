import { api } from './api.js';

/**
 * Saves a server document (a stored report) as a file: fetched with the
 * session's token (a plain link could not send it), then handed to the
 * browser's download through an object URL under the server's file name.
 */
export async function downloadDocument(path: string, fallbackName: string): Promise<string> {
  const doc = await api.document(path);
  const url = URL.createObjectURL(new Blob([doc.text], { type: doc.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = doc.filename ?? fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has started reading the blob once click() returns; free it on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return a.download;
}
