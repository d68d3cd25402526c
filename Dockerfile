# Multi-stage build: SDK to publish, ASP.NET runtime to run as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish OfferHub.Lite.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:4000 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 4000
USER app
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/4000 && printf "GET /api/v1/health/ready HTTP/1.0\r\n\r\n" >&3 && head -1 <&3 | grep -q " 200 "'
ENTRYPOINT ["dotnet", "OfferHub.Lite.dll"]
