package app.parley.account;


/** Who is making a request: an agent signed in to the dashboard, or an integration with an API token. */
public record Caller(Agent agent, boolean viaToken, String csrfToken) {
    public long accountId() {
        return agent.accountId();
    }

    public Viewer viewer() {
        return agent.viewer();
    }
}
