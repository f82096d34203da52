// An inline error message (nothing when there is none).
export function ErrorLine({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="inline-error" role="alert">
      {message}
    </p>
  );
}
