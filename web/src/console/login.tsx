import { ApiError } from '@ticketgate/ui/api';
import { LoginForm } from '../login-form.js';
import { Screen } from '../ui.js';
import { api, consoleRole, opsErrorText } from './api.js';

/**
 * Operators and admins sign in here. A fan or a steward who signs in is
 * signed out again at once with a reason: the console's calls would all be
 * refused, and the server, not this check, is what keeps them out.
 */
export function ConsoleLogin() {
  return (
    <Screen title="Operator console: log in">
      <LoginForm
        describe={opsErrorText}
        login={async (email, password) => {
          const user = await api.login(email, password);
          if (!consoleRole(user)) {
            await api.logout();
            throw new ApiError('FORBIDDEN', 'This account is not an operator or admin account.', 403);
          }
        }}
      />
    </Screen>
  );
}
